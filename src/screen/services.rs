//! 事项办理: the catalogue by category, a page at a time with large
//! previous/next targets (the list scrolls too), and search as the
//! resident types on the on-screen keyboard — Chinese, full pinyin or
//! pinyin initials — best match first.

use iced::widget::{Column, Row, button, column, container, responsive, scrollable};
use iced::{Alignment, Element, Length};
use tongban_platform_api::catalogue::{Catalogue, Text};

use super::list;
use crate::i18n::Arg;
use crate::search::{SearchIndex, Target};
use crate::theme::{Space, Type, buttons, palette};
use crate::widget::keyboard::{self, Key, Keyboard, Mode, Outcome};
use crate::widget::{self, Ctx, Layout};

/// The measures of a row of the list (see [`item_row`]).
pub fn row_measures(ctx: Ctx<'_>) -> list::Measures {
    list::Measures {
        row: ctx.m.touch_target() * 1.25,
        gap: ctx.sp(Space::M),
        heading: 0.0,
    }
}

/// Search results shown while the keyboard is open.
const WHILE_TYPING: usize = 4;

/// What the screen can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// The search field was tapped: the keyboard opens.
    Search,
    /// A key of the keyboard.
    Key(Key),
    /// Clear the search.
    ClearSearch,
    /// Show a category (`None`: the 一件事 bundles and 快办 items).
    Category(Option<usize>),
    /// Show this page (the pager offers only pages there are).
    Page(usize),
    /// An item or bundle was chosen.
    Open(Target),
    /// Back to the resident's home.
    Back,
}

/// What the top level must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Show the guide of an item or bundle.
    Open(Target),
    /// Back to the resident's home.
    Home,
}

/// The screen's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct State {
    /// What has been typed.
    pub query: String,
    /// The keyboard, while it is open.
    pub keyboard: Option<Keyboard>,
    /// The category shown (`None`: featured).
    pub category: Option<usize>,
    /// The page shown.
    pub page: usize,
    /// What the list shows now: search results, or the category's items.
    pub list: Vec<Target>,
}

impl State {
    /// The screen showing the featured list.
    pub fn new(catalogue: &Catalogue) -> Self {
        let mut state = Self::default();
        state.list = state.category_list(catalogue);
        state
    }

    fn category_list(&self, catalogue: &Catalogue) -> Vec<Target> {
        match self.category {
            None => (0..catalogue.bundles.len())
                .map(Target::Bundle)
                .chain(
                    catalogue
                        .items
                        .iter()
                        .enumerate()
                        .filter(|(_, i)| i.kuaiban)
                        .map(|(i, _)| Target::Item(i)),
                )
                .collect(),
            Some(c) => {
                let id = catalogue.categories.get(c).map(|c| c.id.as_str());
                catalogue
                    .items
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| Some(i.category.as_str()) == id)
                    .map(|(i, _)| Target::Item(i))
                    .collect()
            }
        }
    }

    fn refresh(&mut self, catalogue: &Catalogue, index: &SearchIndex) {
        self.page = 0;
        self.list = if self.query.trim().is_empty() {
            self.category_list(catalogue)
        } else {
            index
                .search(&self.query, 60)
                .into_iter()
                .map(|h| h.target)
                .collect()
        };
    }

    /// Handles a message.
    pub fn update(
        &mut self,
        message: Message,
        catalogue: &Catalogue,
        index: &SearchIndex,
    ) -> Action {
        match message {
            Message::Search => {
                if self.keyboard.is_none() {
                    self.keyboard = Some(Keyboard::new(Mode::Letters));
                }
            }
            Message::Key(key) => {
                if let Some(kb) = &mut self.keyboard {
                    let outcome = kb.press(key, &mut self.query, 24);
                    if outcome == Outcome::Done {
                        self.keyboard = None;
                    }
                    self.refresh(catalogue, index);
                }
            }
            Message::ClearSearch => {
                self.query.clear();
                if let Some(kb) = &mut self.keyboard {
                    kb.pinyin.clear();
                }
                self.refresh(catalogue, index);
            }
            Message::Category(c) => {
                self.category = c;
                self.query.clear();
                self.keyboard = None;
                self.refresh(catalogue, index);
            }
            // The pager offers only the pages there are (the view knows
            // how many fit).
            Message::Page(page) => self.page = page,
            Message::Open(target) => return Action::Open(target),
            Message::Back => return Action::Home,
        }
        Action::None
    }

    /// The screen.
    pub fn view<'a>(&'a self, ctx: Ctx<'a>, catalogue: &'a Catalogue) -> Element<'a, Message> {
        let pick = move |t: &'a Text| ctx.pick_text(t);
        let title = widget::title_bar(
            ctx,
            ctx.t("services-title"),
            None,
            Some((ctx.t("back"), Message::Back)),
        );
        // The search field: a button that opens the keyboard.
        let pending = self
            .keyboard
            .as_ref()
            .map(|k| k.pinyin.as_str())
            .unwrap_or("");
        let search = widget::search_field(
            ctx,
            &self.query,
            pending,
            ctx.t("services-search-hint"),
            Message::Search,
            Message::ClearSearch,
        );

        let searching = !self.query.trim().is_empty();
        let mut content = Column::new()
            .push(title)
            .push(search)
            .spacing(ctx.sp(Space::M));

        if let Some(kb) = &self.keyboard {
            // Typing: the best few results above the keyboard.
            // Large text leaves room for fewer results above the keys.
            let room = if ctx.m.elder { 2 } else { WHILE_TYPING };
            let results: Vec<Target> = self.list.iter().take(room).copied().collect();
            content = content.push(self.result_list(ctx, catalogue, &results, searching, 2));
            content = content.push(container(iced::widget::space()).height(Length::Fill));
            content = content
                .push(keyboard::view(ctx, kb, &[Mode::Letters, Mode::Pinyin]).map(Message::Key));
            return widget::body(ctx, content);
        }

        if !searching {
            content = content.push(self.categories(ctx, catalogue, pick));
        } else {
            content = content.push(
                ctx.text(
                    ctx.ta(
                        "services-results",
                        &[("count", Arg::Num(self.list.len() as i64))],
                    ),
                    Type::Body,
                )
                .color(palette::TEXT_MUTED),
            );
        }
        // The list and its pager take the rest of the screen, with as many
        // rows as fit there.
        let columns = if ctx.layout == Layout::Wide { 2 } else { 1 };
        content = content.push(responsive(move |space| {
            let room = space.height - ctx.m.touch_target() - ctx.sp(Space::M);
            let pages = list::pages(self.list.len(), columns, room, row_measures(ctx), |_| None);
            let page = self.page.min(pages.len() - 1);
            let shown = &self.list[pages[page].clone()];
            column![
                scrollable(self.result_list(ctx, catalogue, shown, searching, columns))
                    .height(Length::Fill),
                widget::pager(ctx, page, pages.len(), move |step| {
                    Message::Page(page.saturating_add_signed(step as isize))
                }),
            ]
            .spacing(ctx.sp(Space::M))
            .into()
        }));
        widget::body(ctx, content)
    }

    fn categories<'a>(
        &self,
        ctx: Ctx<'a>,
        catalogue: &'a Catalogue,
        pick: impl Fn(&'a Text) -> &'a str,
    ) -> Element<'a, Message> {
        let chip = |label: String, selected: bool, message: Message| -> Element<'a, Message> {
            button(ctx.text(label, Type::Body).center())
                .padding([0.0, ctx.sp(Space::M)])
                .height(ctx.m.touch_target())
                .style(buttons::key(selected))
                .on_press(message)
                .into()
        };
        let mut chips = vec![chip(
            ctx.t("services-featured"),
            self.category.is_none(),
            Message::Category(None),
        )];
        for (i, c) in catalogue.categories.iter().enumerate() {
            chips.push(chip(
                pick(&c.name).to_owned(),
                self.category == Some(i),
                Message::Category(Some(i)),
            ));
        }
        Row::with_children(chips)
            .spacing(ctx.sp(Space::S))
            .wrap()
            .vertical_spacing(ctx.sp(Space::S))
            .into()
    }

    fn result_list<'a>(
        &self,
        ctx: Ctx<'a>,
        catalogue: &'a Catalogue,
        targets: &[Target],
        searching: bool,
        columns: usize,
    ) -> Element<'a, Message> {
        if targets.is_empty() {
            let words = if searching {
                ctx.t("services-nothing-found")
            } else {
                ctx.t("services-empty")
            };
            return container(ctx.text(words, Type::Label).color(palette::TEXT_MUTED))
                .padding(ctx.sp(Space::L))
                .into();
        }
        let rows: Vec<Element<'a, Message>> = targets
            .chunks(columns)
            .map(|chunk| {
                let mut r = Row::new().spacing(ctx.sp(Space::M));
                for t in chunk {
                    r = r.push(item_row(ctx, catalogue, *t, Message::Open(*t)));
                }
                for _ in chunk.len()..columns {
                    r = r.push(container(iced::widget::space()).width(Length::Fill));
                }
                r.into()
            })
            .collect();
        Column::with_children(rows).spacing(ctx.sp(Space::M)).into()
    }
}

/// One item or bundle as a large row: its name, its department and
/// whether it is 快办 or 一件事.
pub fn item_row<'a, M: Clone + 'a>(
    ctx: Ctx<'a>,
    catalogue: &'a Catalogue,
    target: Target,
    on_press: M,
) -> Element<'a, M> {
    let pick = |t: &'a Text| ctx.pick_text(t);
    let (name, under, mark) = match target {
        Target::Item(i) => {
            let item = &catalogue.items[i];
            (
                pick(&item.name),
                pick(&item.department),
                item.kuaiban.then(|| (ctx.t("kuaiban"), palette::SUCCESS)),
            )
        }
        Target::Bundle(i) => {
            let bundle = &catalogue.bundles[i];
            (
                pick(&bundle.name),
                "",
                Some((ctx.t("yijianshi"), palette::PRIMARY)),
            )
        }
    };
    let mut top = Row::new()
        .push(container(ctx.text(name, Type::Label)).width(Length::Fill))
        .spacing(ctx.sp(Space::S))
        .align_y(Alignment::Center);
    if let Some((label, color)) = mark {
        top = top.push(widget::badge(ctx, label, color));
    }
    let mut words = column![top].spacing(ctx.sp(Space::Xs));
    let under = match target {
        Target::Bundle(i) => ctx.ta(
            "services-bundle-items",
            &[("count", Arg::Num(catalogue.bundles[i].items.len() as i64))],
        ),
        Target::Item(_) => under.to_owned(),
    };
    words = words.push(ctx.text(under, Type::Caption).color(palette::TEXT_MUTED));
    button(container(words).center_y(Length::Fill))
        .width(Length::Fill)
        .padding([ctx.sp(Space::S), ctx.sp(Space::L)])
        .height(ctx.m.touch_target() * 1.25)
        .style(buttons::row)
        .on_press(on_press)
        .into()
}
