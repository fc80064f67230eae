//! Widgets shared by every screen: the view context (language, 长者模式
//! metrics, layout class), the header band, the footer status bar, large
//! touch buttons, icons and the idle warning overlay. They only build
//! elements from the data they are given.

pub mod icon;
pub mod keyboard;

use iced::widget::{Column, Row, button, column, container, opaque, row, space, stack, text};
use iced::{Alignment, Element, Length, Padding};

use crate::i18n::{Arg, I18n, Language};
use crate::status::{NetworkState, TerminalStatus};
use crate::theme::{Metrics, Space, Type, buttons, containers, palette};
use tongban_device::{DeviceKind, DeviceState};

/// The shape of the window, for screens that arrange themselves differently
/// on narrow or portrait displays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Wide landscape (1920×1080).
    Wide,
    /// Narrower landscape or square-ish (1280×1024).
    Compact,
    /// Portrait (1080×1920).
    Portrait,
}

impl Layout {
    /// The layout class of a viewport.
    pub fn of(size: iced::Size) -> Self {
        if size.height > size.width {
            Layout::Portrait
        } else if size.width < 1600.0 {
            Layout::Compact
        } else {
            Layout::Wide
        }
    }
}

/// What every view needs besides its own state.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// Text resources.
    pub i18n: &'a I18n,
    /// Current language.
    pub language: Language,
    /// Measures of the current mode (standard or 长者模式).
    pub m: Metrics,
    /// Shape of the window.
    pub layout: Layout,
}

impl<'a> Ctx<'a> {
    /// A message in the current language.
    pub fn t(&self, id: &str) -> String {
        self.i18n.tr(self.language, id)
    }

    /// A message with arguments in the current language.
    pub fn ta(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.i18n.tr_args(self.language, id, args)
    }

    /// Text at a step of the type scale.
    pub fn text(&self, content: impl Into<String>, step: Type) -> text::Text<'a> {
        text(content.into()).size(self.m.text(step))
    }

    /// A spacing step.
    pub fn sp(&self, step: Space) -> f32 {
        self.m.space(step)
    }

    /// Chooses the localised half of a catalogue text.
    pub fn pick_text<'s>(&self, text: &'s tongban_platform_api::catalogue::Text) -> &'s str {
        match self.language {
            Language::ZhCn => &text.zh,
            Language::En if text.en.trim().is_empty() => &text.zh,
            Language::En => &text.en,
        }
    }

    /// Chooses the localised half of a zh/en pair from config.
    pub fn pick<'s>(&self, pair: &'s kiosk_config::Localized) -> &'s str {
        match self.language {
            Language::ZhCn => &pair.zh,
            Language::En => {
                if pair.en.trim().is_empty() {
                    &pair.zh
                } else {
                    &pair.en
                }
            }
        }
    }
}

/// What the header band shows.
pub struct HeaderInfo<'s> {
    /// Name of the service.
    pub service: &'s str,
    /// Branch name.
    pub branch: &'s str,
    /// Localised date line.
    pub date: String,
    /// HH:MM.
    pub time: String,
    /// Whether 长者模式 is on.
    pub elder: bool,
}

/// The header band: service and branch, date and time, and the language and
/// 长者模式 switches. Wide screens use one row, 1280×1024 two and portrait
/// three, so nothing is squeezed.
pub fn header<'a, M: Clone + 'a>(
    ctx: Ctx<'a>,
    info: HeaderInfo<'_>,
    on_language: M,
    on_elder: M,
) -> Element<'a, M> {
    let service = row![
        icon::emblem(ctx.m.text(Type::Title) * 1.5),
        ctx.text(info.service.to_owned(), Type::Title)
    ]
    .spacing(ctx.sp(Space::M))
    .align_y(Alignment::Center);
    let branch = ctx.text(info.branch.to_owned(), Type::Body);
    let language = switch(ctx, ctx.t("header-language-switch"), false, on_language);
    let elder_label = if info.elder {
        ctx.t("header-elder-off")
    } else {
        ctx.t("header-elder-on")
    };
    let elder = switch(ctx, elder_label, info.elder, on_elder);
    let switches = row![language, elder]
        .spacing(ctx.sp(Space::M))
        .align_y(Alignment::Center);

    let content: Element<'a, M> = match ctx.layout {
        Layout::Wide => {
            let clock = column![
                ctx.text(info.time, Type::Heading),
                ctx.text(info.date, Type::Body)
            ]
            .align_x(Alignment::End);
            row![
                container(column![service, branch].spacing(ctx.sp(Space::Xs))).width(Length::Fill),
                clock,
                space().width(ctx.sp(Space::Xl)),
                switches
            ]
            .align_y(Alignment::Center)
            .into()
        }
        Layout::Compact => column![
            row![container(service).width(Length::Fill), switches].align_y(Alignment::Center),
            row![
                container(branch).width(Length::Fill),
                ctx.text(format!("{}  {}", info.date, info.time), Type::Label)
            ]
            .align_y(Alignment::Center),
        ]
        .spacing(ctx.sp(Space::S))
        .into(),
        Layout::Portrait => column![
            row![
                container(service).width(Length::Fill),
                ctx.text(info.time, Type::Heading)
            ]
            .align_y(Alignment::Center),
            row![
                container(branch).width(Length::Fill),
                ctx.text(info.date, Type::Body)
            ]
            .align_y(Alignment::Center),
            row![space::horizontal(), switches],
        ]
        .spacing(ctx.sp(Space::S))
        .into(),
    };
    container(content)
        .padding([ctx.sp(Space::M), ctx.sp(Space::Xl)])
        .width(Length::Fill)
        .style(containers::header)
        .into()
}

fn switch<'a, M: Clone + 'a>(
    ctx: Ctx<'a>,
    label: String,
    selected: bool,
    on_press: M,
) -> Element<'a, M> {
    button(ctx.text(label, Type::Label).center())
        .padding([0.0, ctx.sp(Space::L)])
        .height(ctx.m.touch_target())
        .width(Length::Shrink)
        .style(buttons::header(selected))
        .on_press(on_press)
        .into()
}

/// The footer: terminal id, network state and every device's state.
pub fn footer<'a, M: 'a>(
    ctx: Ctx<'a>,
    terminal_id: &str,
    status: &TerminalStatus,
    demo: bool,
) -> Element<'a, M> {
    // The status bar is for staff: it keeps standard type in 长者模式 so it
    // never crowds out what residents need.
    let ctx = Ctx {
        m: crate::theme::Metrics::new(false),
        ..ctx
    };
    let item = |label: String, value: String, color: iced::Color| -> Element<'a, M> {
        row![
            icon::dot(color, ctx.m.text(Type::Caption) * 0.6),
            ctx.text(
                ctx.ta(
                    "footer-item",
                    &[("label", Arg::Str(&label)), ("value", Arg::Str(&value))]
                ),
                Type::Caption
            )
            .color(palette::TEXT_MUTED)
        ]
        .spacing(ctx.sp(Space::S))
        .align_y(Alignment::Center)
        .into()
    };
    let mut items: Vec<Element<'a, M>> = Vec::new();
    if demo {
        items.push(
            container(
                ctx.text(ctx.t("header-demo"), Type::Caption)
                    .wrapping(text::Wrapping::None),
            )
            .padding([ctx.sp(Space::Xs), ctx.sp(Space::M)])
            .style(containers::badge(palette::WARNING))
            .into(),
        );
    }
    items.push(
        ctx.text(
            ctx.ta("footer-terminal", &[("id", Arg::Str(terminal_id))]),
            Type::Caption,
        )
        .color(palette::TEXT_MUTED)
        .into(),
    );
    let (network_id, network_color) = network_words(status.network);
    items.push(item(
        ctx.t("footer-network"),
        ctx.t(network_id),
        network_color,
    ));
    for device in &status.devices {
        let (state_id, color) = device_state_words(device.state);
        // A printer says what needs doing (缺纸, 盖板打开) rather than only
        // "needs attention".
        let value = match device_detail(device) {
            Some(detail) if device.state != DeviceState::NoDevice => ctx.t(detail),
            _ => ctx.t(state_id),
        };
        let color = match device_detail(device) {
            Some(_) if device.state.is_usable() => palette::WARNING,
            _ => color,
        };
        items.push(item(ctx.t(device_words(device.kind)), value, color));
    }
    let bar = Row::from_vec(items)
        .spacing(ctx.sp(Space::Xl))
        .align_y(Alignment::Center)
        .wrap()
        .vertical_spacing(ctx.sp(Space::S));
    container(bar)
        .padding([ctx.sp(Space::M), ctx.sp(Space::Xl)])
        .width(Length::Fill)
        .style(containers::footer)
        .into()
}

/// Message id and colour of a network state.
pub fn network_words(state: NetworkState) -> (&'static str, iced::Color) {
    match state {
        NetworkState::Online => ("network-online", palette::SUCCESS),
        NetworkState::Offline => ("network-offline", palette::WARNING),
        NetworkState::NotConfigured => ("network-not-configured", palette::TEXT_MUTED),
    }
}

/// Message id of a device.
pub fn device_words(kind: DeviceKind) -> &'static str {
    match kind {
        DeviceKind::IdCardReader => "device-id-card-reader",
        DeviceKind::QrScanner => "device-qr-scanner",
        DeviceKind::ReceiptPrinter => "device-receipt-printer",
        DeviceKind::A4Printer => "device-a4-printer",
    }
}

/// The message id of what a printer needs, if anything
/// ([`DeviceStatus::need`](tongban_device::DeviceStatus::need)).
pub fn device_detail(status: &tongban_device::DeviceStatus) -> Option<&'static str> {
    use tongban_device::Need;
    Some(match status.need()? {
        Need::PaperOut => "device-detail-paper-out",
        Need::Jammed => "device-detail-jammed",
        Need::CoverOpen => "device-detail-cover-open",
        Need::TonerOut => "device-detail-toner-out",
        Need::TonerLow => "device-detail-toner-low",
        Need::PaperLow => "device-detail-paper-low",
    })
}

/// Message id and colour of a device state.
pub fn device_state_words(state: DeviceState) -> (&'static str, iced::Color) {
    match state {
        DeviceState::Online => ("device-state-online", palette::SUCCESS),
        DeviceState::Busy => ("device-state-busy", palette::SUCCESS),
        DeviceState::Offline => ("device-state-offline", palette::WARNING),
        DeviceState::UserError => ("device-state-user-error", palette::WARNING),
        DeviceState::HardwareError => ("device-state-hardware-error", palette::DANGER),
        DeviceState::NoDevice => ("device-state-no-device", palette::TEXT_MUTED),
    }
}

/// Declares one public action-button constructor a button style, so that
/// every kind of action button is built by the same `action_button`.
macro_rules! action_button_constructors {
    ($($(#[$doc:meta])* $name:ident => $style:path;)*) => {
        $(
            $(#[$doc])*
            pub fn $name<'a, M: Clone + 'a>(
                ctx: Ctx<'a>,
                label: String,
                on_press: Option<M>,
            ) -> button::Button<'a, M> {
                action_button(ctx, label, on_press, $style)
            }
        )*
    };
}

action_button_constructors! {
    /// A primary action button at least one touch target high.
    primary_button => buttons::primary;
    /// A secondary action button at least one touch target high.
    secondary_button => buttons::secondary;
}

/// An action button with a centred label, at least one touch target high,
/// in the given style: what the primary and secondary buttons share.
fn action_button<'a, M: Clone + 'a>(
    ctx: Ctx<'a>,
    label: String,
    on_press: Option<M>,
    style: fn(&iced::Theme, button::Status) -> button::Style,
) -> button::Button<'a, M> {
    button(ctx.text(label, Type::Label).center())
        .padding([0.0, ctx.sp(Space::Xl)])
        .height(ctx.m.touch_target())
        .style(style)
        .on_press_maybe(on_press)
}

/// A message card in the middle of the screen (the farewell, the wait
/// for a 随申码): the design system's card, centred, at most 1200 px wide.
pub fn centered_card<'a, M: 'a>(ctx: Ctx<'a>, content: Column<'a, M>) -> Element<'a, M> {
    container(
        container(content.spacing(ctx.sp(Space::L)).align_x(Alignment::Center))
            .padding(ctx.sp(Space::Xxl))
            .max_width(1200)
            .style(containers::card),
    )
    .center(Length::Fill)
    .into()
}

/// A large entry tile with an icon, a title and a hint; `horizontal` puts
/// the icon beside the words (narrow and portrait screens).
pub fn tile<'a, M: Clone + 'a>(
    ctx: Ctx<'a>,
    icon: Element<'a, M>,
    title: String,
    hint: String,
    horizontal: bool,
    on_press: Option<M>,
) -> button::Button<'a, M> {
    let title_type = if horizontal { Type::Label } else { Type::Title };
    let words = column![
        ctx.text(title, title_type),
        ctx.text(hint, Type::Body).color(palette::TEXT_MUTED)
    ]
    .spacing(ctx.sp(Space::Xs));
    let content: Element<'a, M> = if horizontal {
        row![icon, words]
            .spacing(ctx.sp(Space::L))
            .align_y(Alignment::Center)
            .into()
    } else {
        column![icon, words].spacing(ctx.sp(Space::M)).into()
    };
    button(content)
        .padding(ctx.sp(if horizontal { Space::M } else { Space::L }))
        .width(Length::Fill)
        .height(Length::Shrink)
        .style(buttons::tile)
        .on_press_maybe(on_press)
}

/// The page: header, body and footer, full size.
pub fn page<'a, M: 'a>(
    header: Element<'a, M>,
    body: Element<'a, M>,
    footer: Element<'a, M>,
) -> Element<'a, M> {
    container(
        column![
            header,
            container(body).height(Length::Fill).width(Length::Fill),
            footer
        ]
        .width(Length::Fill)
        .height(Length::Fill),
    )
    .style(containers::page)
    .width(Length::Fill)
    .height(Length::Fill)
    .into()
}

/// Puts a modal card over `base`: the base is dimmed and receives nothing.
pub fn modal<'a, M: Clone + 'a>(base: Element<'a, M>, card: Element<'a, M>) -> Element<'a, M> {
    let overlay = container(container(card).max_width(900).style(containers::card))
        .center(Length::Fill)
        .padding(32)
        .style(containers::scrim);
    stack![base, opaque(overlay)].into()
}

/// The idle warning: a countdown and a large "continue" button.
pub fn idle_card<'a, M: Clone + 'a>(
    ctx: Ctx<'a>,
    remaining_secs: u64,
    on_continue: M,
    on_end: M,
) -> Element<'a, M> {
    let seconds = i64::try_from(remaining_secs).unwrap_or(i64::MAX);
    let buttons: Element<'a, M> = {
        let wide_label = |id: &str| {
            ctx.text(ctx.t(id), Type::Label)
                .center()
                .width(Length::Fill)
        };
        let wide_button = |id: &str, style: fn(&iced::Theme, button::Status) -> button::Style| {
            button(wide_label(id))
                .padding([0.0, ctx.sp(Space::L)])
                .height(ctx.m.touch_target())
                .width(Length::Fill)
                .style(style)
        };
        let cont = wide_button("idle-continue", buttons::primary).on_press(on_continue);
        let end = wide_button("idle-end", buttons::secondary).on_press(on_end);
        match ctx.layout {
            Layout::Portrait => column![cont, end].spacing(ctx.sp(Space::M)).into(),
            _ => row![end, cont].spacing(ctx.sp(Space::L)).into(),
        }
    };
    Column::new()
        .push(ctx.text(ctx.t("idle-title"), Type::Heading))
        .push(
            ctx.text(
                ctx.ta("idle-body", &[("seconds", Arg::Num(seconds))]),
                Type::Label,
            )
            .color(palette::TEXT_MUTED),
        )
        .push(
            container(
                ctx.text(remaining_secs.to_string(), Type::Display)
                    .color(palette::PRIMARY),
            )
            .center_x(Length::Fill),
        )
        .push(buttons)
        .spacing(ctx.sp(Space::L))
        .padding(Padding::new(ctx.sp(Space::Xl)))
        .into()
}

/// The top of a screen inside a journey: its title (and a line under it)
/// with a large back button on the left.
pub fn title_bar<'a, M: Clone + 'a>(
    ctx: Ctx<'a>,
    title: String,
    subtitle: Option<String>,
    back: Option<(String, M)>,
) -> Element<'a, M> {
    let mut words = Column::new().push(ctx.text(title, Type::Heading));
    if let Some(sub) = subtitle {
        words = words.push(ctx.text(sub, Type::Body).color(palette::TEXT_MUTED));
    }
    let mut bar = Row::new()
        .spacing(ctx.sp(Space::L))
        .align_y(Alignment::Center);
    if let Some((label, on_back)) = back {
        bar = bar.push(secondary_button(ctx, format!("‹ {label}"), Some(on_back)));
    }
    bar.push(container(words.spacing(ctx.sp(Space::Xs))).width(Length::Fill))
        .into()
}

/// A short coloured label (免提交, 来自身份证, a state).
pub fn badge<'a, M: 'a>(ctx: Ctx<'a>, label: String, color: iced::Color) -> Element<'a, M> {
    container(ctx.text(label, Type::Caption).color(color))
        .padding([ctx.sp(Space::Xs) / 2.0, ctx.sp(Space::S)])
        .style(containers::badge(color))
        .into()
}

/// The padded, centred body of a journey screen.
pub fn body<'a, M: 'a>(ctx: Ctx<'a>, content: impl Into<Element<'a, M>>) -> Element<'a, M> {
    let wide = ctx.layout == Layout::Wide;
    container(
        container(content)
            .max_width(1600)
            .width(Length::Fill)
            .height(Length::Fill),
    )
    .padding(ctx.sp(if wide { Space::L } else { Space::M }))
    .center_x(Length::Fill)
    .height(Length::Fill)
    .into()
}

/// Large previous / next targets around "page n of m": `turn(-1)` and
/// `turn(1)` are the messages (disabled at either end).
pub fn pager<'a, M: Clone + 'a>(
    ctx: Ctx<'a>,
    page: usize,
    pages: usize,
    turn: impl Fn(i32) -> M,
) -> Element<'a, M> {
    let prev = secondary_button(
        ctx,
        format!("‹ {}", ctx.t("page-previous")),
        (page > 0).then(|| turn(-1)),
    )
    .width(Length::FillPortion(2));
    let next = secondary_button(
        ctx,
        format!("{} ›", ctx.t("page-next")),
        (page + 1 < pages).then(|| turn(1)),
    )
    .width(Length::FillPortion(2));
    let at = ctx.text(
        ctx.ta(
            "page-of",
            &[
                ("page", Arg::Num(page as i64 + 1)),
                ("pages", Arg::Num(pages as i64)),
            ],
        ),
        Type::Label,
    );
    row![prev, container(at).center_x(Length::FillPortion(1)), next]
        .spacing(ctx.sp(Space::M))
        .align_y(Alignment::Center)
        .into()
}

/// A search field that opens the on-screen keyboard when tapped: what is
/// typed (with a caret), else the pinyin being typed, else `hint`; and a
/// clear button once something is typed.
pub fn search_field<'a, M: Clone + 'a>(
    ctx: Ctx<'a>,
    query: &str,
    pending: &str,
    hint: String,
    open: M,
    clear: M,
) -> Element<'a, M> {
    let typed = if !query.is_empty() {
        ctx.text(format!("{query}▏"), Type::Label)
    } else if !pending.is_empty() {
        ctx.text(pending.to_owned(), Type::Label)
            .color(palette::PRIMARY)
    } else {
        ctx.text(hint, Type::Label).color(palette::TEXT_MUTED)
    };
    let field = button(
        container(
            row![ctx.text("⌕", Type::Title).color(palette::PRIMARY), typed]
                .spacing(ctx.sp(Space::M))
                .align_y(Alignment::Center),
        )
        .center_y(Length::Fill),
    )
    .width(Length::Fill)
    .height(ctx.m.touch_target())
    .padding([0.0, ctx.sp(Space::L)])
    .style(buttons::key(false))
    .on_press(open);
    let mut line = Row::new()
        .push(field)
        .spacing(ctx.sp(Space::M))
        .align_y(Alignment::Center);
    if !query.is_empty() {
        line = line.push(secondary_button(ctx, ctx.t("services-clear"), Some(clear)));
    }
    line.into()
}
