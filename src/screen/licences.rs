//! 证照打印, first screen: the resident's electronic licences as the
//! platform lists them, grouped by the department that issued them,
//! searchable on the on-screen keyboard (Chinese, full pinyin, initials or
//! English), each with its type, masked number and validity. Only licences
//! in force can be chosen; expired and revoked ones say so.

use iced::widget::{Column, Row, button, column, container, responsive, row, scrollable};
use iced::{Alignment, Element, Length};
use pinyin::ToPinyin;
use tongban_platform_api::licence::{LicenceStatus, LicenceSummary};

use super::list as paging;
use crate::i18n::Arg;
use crate::theme::{Space, Type, buttons, containers, palette};
use crate::widget::keyboard::{self, Key, Keyboard, Mode, Outcome};
use crate::widget::{self, Ctx, Layout};

/// What the platform said about the resident's licences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// Asked; no answer yet.
    Loading,
    /// The platform could not be reached (or answered garbage).
    Unreachable,
    /// The platform does not know the resident.
    Unknown,
    /// The list (possibly empty).
    Ready(Vec<LicenceSummary>),
}

/// What the screen can ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A licence was chosen (its index in the list).
    Pick(usize),
    /// The search field was tapped.
    Search,
    /// A key of the keyboard.
    Key(Key),
    /// The search was cleared.
    Clear,
    /// Show this page (the pager offers only pages there are).
    Page(usize),
    /// Ask the platform again.
    Retry,
    /// Back to the resident's home.
    Back,
}

/// What the top level must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Print copies of this licence.
    Pick(Box<LicenceSummary>),
    /// Ask the platform for the list again.
    Reload,
    /// Back to the resident's home.
    Home,
}

/// One licence as the search sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Keys {
    zh: String,
    en: String,
    pinyin: String,
    initials: String,
}

impl Keys {
    fn of(l: &LicenceSummary) -> Self {
        let mut pinyin = String::new();
        let mut initials = String::new();
        for c in l.name.zh.chars() {
            if let Some(p) = c.to_pinyin() {
                pinyin.push_str(p.plain());
                initials.push_str(p.first_letter());
            }
        }
        Self {
            zh: l.name.zh.clone(),
            en: l.name.en.to_lowercase(),
            pinyin,
            initials,
        }
    }

    fn matches(&self, query: &str) -> bool {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return true;
        }
        let letters: String = q.chars().filter(|c| !c.is_whitespace()).collect();
        self.zh.contains(&q)
            || self.en.contains(&q)
            || (letters.is_ascii()
                && (self.pinyin.contains(&letters) || self.initials.contains(&letters)))
    }
}

/// The screen's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// What the platform said.
    pub listing: Listing,
    /// The search as typed.
    pub query: String,
    /// The keyboard, while it is open.
    pub keyboard: Option<Keyboard>,
    /// The page shown.
    pub page: usize,
    keys: Vec<Keys>,
}

impl State {
    /// Takes the platform's listing when it comes.
    pub fn hear(&mut self, news: &super::News<'_>) -> bool {
        match news {
            super::News::Licences(listing) => {
                self.set_listing((*listing).clone());
                true
            }
            _ => false,
        }
    }

    /// The screen with the list (or what stands for it).
    pub fn new(listing: Listing) -> Self {
        let mut state = Self {
            listing: Listing::Loading,
            query: String::new(),
            keyboard: None,
            page: 0,
            keys: Vec::new(),
        };
        state.set_listing(listing);
        state
    }

    /// The platform answered.
    pub fn set_listing(&mut self, listing: Listing) {
        self.keys = match &listing {
            Listing::Ready(list) => list.iter().map(Keys::of).collect(),
            _ => Vec::new(),
        };
        self.listing = listing;
        self.page = 0;
    }

    /// The licences, grouped by issuer (groups in the order their first
    /// licence comes; licences in force first within a group), filtered
    /// by the search. Indices into the list.
    pub fn shown(&self) -> Vec<usize> {
        let Listing::Ready(list) = &self.listing else {
            return Vec::new();
        };
        let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
        for (i, l) in list.iter().enumerate() {
            if !self.keys[i].matches(&self.query) {
                continue;
            }
            match groups.iter_mut().find(|(g, _)| *g == l.issuer.zh) {
                Some((_, members)) => members.push(i),
                None => groups.push((&l.issuer.zh, vec![i])),
            }
        }
        groups
            .into_iter()
            .flat_map(|(_, mut members)| {
                members.sort_by_key(|&i| list[i].status != LicenceStatus::Valid);
                members
            })
            .collect()
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Pick(i) => {
                if let Listing::Ready(list) = &self.listing
                    && let Some(l) = list.get(i)
                    && l.status == LicenceStatus::Valid
                {
                    return Action::Pick(Box::new(l.clone()));
                }
            }
            Message::Search => {
                if self.keyboard.is_none() && matches!(self.listing, Listing::Ready(_)) {
                    self.keyboard = Some(Keyboard::new(Mode::Letters));
                }
            }
            Message::Key(key) => {
                if let Some(kb) = &mut self.keyboard {
                    if kb.press(key, &mut self.query, 16) == Outcome::Done {
                        self.keyboard = None;
                    }
                    self.page = 0;
                }
            }
            Message::Clear => {
                self.query.clear();
                if let Some(kb) = &mut self.keyboard {
                    kb.pinyin.clear();
                }
                self.page = 0;
            }
            // The pager offers only the pages there are (the view knows
            // how many fit).
            Message::Page(page) => self.page = page,
            Message::Retry => {
                if matches!(self.listing, Listing::Unreachable) {
                    self.listing = Listing::Loading;
                    return Action::Reload;
                }
            }
            Message::Back => {
                if self.keyboard.take().is_none() {
                    return Action::Home;
                }
            }
        }
        Action::None
    }

    /// The screen.
    pub fn view<'a>(&'a self, ctx: Ctx<'a>) -> Element<'a, Message> {
        let title = widget::title_bar(
            ctx,
            ctx.t("licences-title"),
            None,
            Some((ctx.t("back"), Message::Back)),
        );
        let mut content = Column::new().push(title).spacing(ctx.sp(Space::M));
        let list = match &self.listing {
            Listing::Ready(list) if !list.is_empty() => list,
            other => {
                let (heading, body, retry) = match other {
                    Listing::Loading => ("licences-loading", "licences-loading-body", false),
                    Listing::Unreachable => {
                        ("licences-unreachable", "licences-unreachable-body", true)
                    }
                    Listing::Unknown => ("licences-unknown", "licences-unknown-body", false),
                    Listing::Ready(_) => ("licences-none", "licences-none-body", false),
                };
                let style = if matches!(other, Listing::Loading) {
                    containers::notice
                } else {
                    containers::danger_band
                };
                content = content.push(
                    container(ctx.text(ctx.t(heading), Type::Heading))
                        .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
                        .width(Length::Fill)
                        .style(style),
                );
                content = content.push(ctx.text(ctx.t(body), Type::Title));
                let mut actions = Row::new().spacing(ctx.sp(Space::L));
                actions = actions.push(widget::secondary_button(
                    ctx,
                    ctx.t("licence-finish"),
                    Some(Message::Back),
                ));
                if retry {
                    actions = actions.push(widget::primary_button(
                        ctx,
                        ctx.t("licences-retry"),
                        Some(Message::Retry),
                    ));
                }
                content = content.push(actions);
                return widget::body(ctx, content);
            }
        };

        content = content.push(self.search_field(ctx));
        let shown = self.shown();
        if let Some(kb) = &self.keyboard {
            // Each licence comes under its issuer's heading: on a screen
            // less tall than the wide one, one licence (none in 长者模式)
            // leaves the keys room; the list shows when typing is done.
            let room = match (ctx.layout == Layout::Compact, ctx.m.elder) {
                (true, true) => 0,
                (true, false) | (false, true) => 1,
                (false, false) => 3,
            };
            let few: Vec<usize> = shown.iter().take(room).copied().collect();
            if room > 0 {
                content = content.push(self.rows(ctx, list, &few, 1));
            }
            content = content.push(container(iced::widget::space()).height(Length::Fill));
            content = content
                .push(keyboard::view(ctx, kb, &[Mode::Letters, Mode::Pinyin]).map(Message::Key));
            return widget::body(ctx, content);
        }
        content = content.push(
            ctx.text(
                ctx.ta("licences-count", &[("count", Arg::Num(shown.len() as i64))]),
                Type::Body,
            )
            .color(palette::TEXT_MUTED),
        );
        // The list and its pager take the rest of the screen, with as many
        // rows and issuers' headings as fit there.
        let columns = if ctx.layout == Layout::Wide { 2 } else { 1 };
        let measures = paging::Measures {
            row: ctx.m.touch_target() * 1.25,
            gap: ctx.sp(Space::M),
            heading: ctx.m.text(Type::Body) * 1.3,
        };
        content = content.push(responsive(move |space| {
            let room = space.height - ctx.m.touch_target() - ctx.sp(Space::M);
            let pages = paging::pages(shown.len(), columns, room, measures, |n| {
                Some(list[shown[n]].issuer.zh.as_str())
            });
            let page = self.page.min(pages.len() - 1);
            let on_page = &shown[pages[page].clone()];
            column![
                scrollable(self.rows(ctx, list, on_page, columns)).height(Length::Fill),
                widget::pager(ctx, page, pages.len(), move |step| {
                    Message::Page(page.saturating_add_signed(step as isize))
                }),
            ]
            .spacing(ctx.sp(Space::M))
            .into()
        }));
        widget::body(ctx, content)
    }

    fn search_field<'a>(&'a self, ctx: Ctx<'a>) -> Element<'a, Message> {
        let pending = self
            .keyboard
            .as_ref()
            .map(|k| k.pinyin.as_str())
            .unwrap_or("");
        widget::search_field(
            ctx,
            &self.query,
            pending,
            ctx.t("licences-search-hint"),
            Message::Search,
            Message::Clear,
        )
    }

    /// Rows of licences under their issuer's heading.
    fn rows<'a>(
        &'a self,
        ctx: Ctx<'a>,
        list: &'a [LicenceSummary],
        indices: &[usize],
        columns: usize,
    ) -> Element<'a, Message> {
        if indices.is_empty() {
            return container(
                ctx.text(ctx.t("licences-nothing-found"), Type::Label)
                    .color(palette::TEXT_MUTED),
            )
            .padding(ctx.sp(Space::L))
            .into();
        }
        let mut col = Column::new().spacing(ctx.sp(Space::M));
        let mut group: Option<&str> = None;
        let mut line: Vec<Element<'a, Message>> = Vec::new();
        let flush = |line: &mut Vec<Element<'a, Message>>, col: Column<'a, Message>| {
            if line.is_empty() {
                return col;
            }
            let mut r = Row::new().spacing(ctx.sp(Space::M));
            let n = line.len();
            for e in line.drain(..) {
                r = r.push(e);
            }
            for _ in n..columns {
                r = r.push(container(iced::widget::space()).width(Length::Fill));
            }
            col.push(r)
        };
        for &i in indices {
            let l = &list[i];
            if group != Some(l.issuer.zh.as_str()) {
                col = flush(&mut line, col);
                group = Some(l.issuer.zh.as_str());
                let issuer = ctx.pick_text(&l.issuer);
                let heading = if issuer.is_empty() {
                    ctx.t("licences-issuer-unknown")
                } else {
                    issuer.to_owned()
                };
                col = col.push(ctx.text(heading, Type::Body).color(palette::TEXT_MUTED));
            }
            line.push(licence_row(ctx, l, Message::Pick(i)));
            if line.len() == columns {
                col = flush(&mut line, col);
            }
        }
        flush(&mut line, col).into()
    }
}

/// One licence as a large row: name, masked number, validity, and a
/// badge for licences that cannot be printed.
fn licence_row<'a>(ctx: Ctx<'a>, l: &'a LicenceSummary, on_press: Message) -> Element<'a, Message> {
    let name = ctx.pick_text(&l.name);
    let name = if name.is_empty() {
        l.licence_type.as_str()
    } else {
        name
    };
    let mut top = Row::new()
        .push(container(ctx.text(name, Type::Label)).width(Length::Fill))
        .spacing(ctx.sp(Space::S))
        .align_y(Alignment::Center);
    let (badge, enabled) = match l.status {
        LicenceStatus::Valid => (None, true),
        LicenceStatus::Expired => (
            Some((ctx.t("licences-expired"), palette::TEXT_MUTED)),
            false,
        ),
        LicenceStatus::Revoked => (Some((ctx.t("licences-revoked"), palette::DANGER)), false),
    };
    if let Some((label, color)) = badge {
        top = top.push(widget::badge(ctx, label, color));
    }
    let validity = match &l.valid_until {
        Some(until) => ctx.ta("licences-valid-until", &[("date", Arg::Str(until))]),
        None => ctx.t("licences-valid-long"),
    };
    let under = row![
        ctx.text(
            ctx.ta("licence-number", &[("number", Arg::Str(&l.number_masked))]),
            Type::Caption
        )
        .color(palette::TEXT_MUTED),
        ctx.text(validity, Type::Caption).color(palette::TEXT_MUTED),
    ]
    .spacing(ctx.sp(Space::L))
    .wrap();
    let words = column![top, under].spacing(ctx.sp(Space::Xs));
    button(container(words).center_y(Length::Fill))
        .width(Length::Fill)
        .padding([ctx.sp(Space::S), ctx.sp(Space::L)])
        .height(ctx.m.touch_target() * 1.25)
        .style(buttons::row)
        .on_press_maybe(enabled.then_some(on_press))
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tongban_platform_api::catalogue::Text;

    fn licence(
        id: &str,
        zh: &str,
        en: &str,
        issuer: &str,
        status: LicenceStatus,
    ) -> LicenceSummary {
        LicenceSummary {
            id: id.into(),
            licence_type: id.into(),
            name: Text {
                zh: zh.into(),
                en: en.into(),
            },
            number_masked: "JZZ-**********0123".into(),
            issued_on: "2026-01-01".into(),
            issuer: Text {
                zh: issuer.into(),
                en: issuer.into(),
            },
            valid_until: None,
            status,
        }
    }

    fn state() -> State {
        State::new(Listing::Ready(vec![
            licence(
                "a",
                "上海市居住证",
                "Shanghai residence permit",
                "公安",
                LicenceStatus::Valid,
            ),
            licence(
                "b",
                "结婚证",
                "Marriage certificate",
                "民政",
                LicenceStatus::Valid,
            ),
            licence(
                "c",
                "机动车驾驶证",
                "Driving licence",
                "公安",
                LicenceStatus::Expired,
            ),
            licence(
                "d",
                "居民户口簿",
                "Household register",
                "公安",
                LicenceStatus::Valid,
            ),
        ]))
    }

    #[test]
    fn licences_group_by_issuer_with_those_in_force_first() {
        assert_eq!(state().shown(), vec![0, 3, 2, 1]);
    }

    #[test]
    fn search_finds_chinese_pinyin_initials_and_english() {
        let mut s = state();
        for (q, want) in [
            ("居住", vec![0]),
            ("jzz", vec![0]),
            ("jiehun", vec![1]),
            ("hukou", vec![3]),
            ("driving", vec![2]),
            ("xyz", vec![]),
        ] {
            s.query = q.into();
            assert_eq!(s.shown(), want, "{q}");
        }
    }

    #[test]
    fn only_licences_in_force_can_be_chosen() {
        let mut s = state();
        assert!(matches!(s.update(Message::Pick(0)), Action::Pick(l) if l.id == "a"));
        assert_eq!(s.update(Message::Pick(2)), Action::None);
        assert_eq!(s.update(Message::Pick(9)), Action::None);
    }

    #[test]
    fn an_unreachable_platform_can_be_asked_again() {
        let mut s = State::new(Listing::Unreachable);
        assert_eq!(s.update(Message::Retry), Action::Reload);
        assert_eq!(s.listing, Listing::Loading);
        assert_eq!(s.update(Message::Retry), Action::None);
    }
}
