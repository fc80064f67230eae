//! The attract screen, shown whenever no resident is being served: how to
//! begin (ID card or 随申码), what else works, privacy and help.

use iced::widget::{Column, button, column, container, row, scrollable};
use iced::{Alignment, Element, Length};

use crate::i18n::Arg;
use crate::theme::{Space, Type, buttons, containers, palette};
use crate::widget::{Ctx, Layout, icon};

/// What the attract screen can ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Demo mode only: place the sample ID card on the (simulated) reader.
    DemoPlaceCard,
}

/// What the screen shows besides the texts.
#[derive(Debug, Clone, Copy)]
pub struct Info<'s> {
    /// The helpline.
    pub hotline: &'s str,
    /// Whether the demo controls show.
    pub demo: bool,
    /// Message id of a notice about the last card, if any.
    pub notice: Option<&'static str>,
    /// While a card is being read: the animation step.
    pub reading: Option<u8>,
    /// The terminal has a reader but it cannot read now.
    pub reader_unavailable: bool,
    /// The branch's line for residents from config (may be empty).
    pub banner: &'s str,
}

/// The screen.
pub fn view<'a>(ctx: Ctx<'a>, info: Info<'_>) -> Element<'a, Message> {
    // Wide and portrait displays have room for large pictures above the
    // words; 1280×1024 puts them beside the words.
    let roomy = ctx.layout != Layout::Compact && !ctx.m.elder;
    let wide = roomy || ctx.layout == Layout::Portrait;
    // Both pictures sit in boxes of one size so the two cards line up.
    let picture_box = ctx.m.text(Type::Display) * if roomy { 2.0 } else { 1.3 };
    let ways = ways(ctx, &info, roomy, wide, picture_box);
    let notes = notes(ctx, info.hotline);

    let (welcome, begin) = if roomy {
        (Type::Heading, Type::Title)
    } else {
        (Type::Title, Type::Label)
    };
    let mut body = status_bands(ctx, &info);
    if ctx.layout != Layout::Compact {
        body = body.push(ctx.text(ctx.t("attract-welcome"), welcome).center());
    }
    let mut body = body
        .push(
            ctx.text(ctx.t("attract-begin"), begin)
                .color(palette::TEXT_MUTED),
        )
        .push(ways)
        .push(notes)
        .spacing(ctx.sp(Space::L))
        .align_x(Alignment::Center)
        .max_width(1600);
    if info.demo {
        body = body.push(demo_button(ctx));
    }
    scrollable(
        container(body)
            .padding([
                ctx.sp(if roomy { Space::Xl } else { Space::L }),
                ctx.sp(Space::L),
            ])
            .center_x(Length::Fill),
    )
    .height(Length::Fill)
    .into()
}

/// The two ways to begin, ID card and 随申码, as cards of one size:
/// stacked on a portrait display, side by side otherwise. `roomy`
/// displays get larger pictures and padding; `wide` ones put the picture
/// above the words instead of beside them.
fn ways<'a>(
    ctx: Ctx<'a>,
    info: &Info<'_>,
    roomy: bool,
    wide: bool,
    picture_box: f32,
) -> Element<'a, Message> {
    let way =
        |picture: Element<'a, Message>, title: String, hint: String| -> Element<'a, Message> {
            let picture = container(picture).center(picture_box);
            let content: Element<'a, Message> = if wide {
                column![
                    picture,
                    ctx.text(title, Type::Heading).color(palette::PRIMARY),
                    ctx.text(hint, Type::Label).center().width(Length::Fill)
                ]
                .spacing(ctx.sp(Space::L))
                .align_x(Alignment::Center)
                .into()
            } else {
                row![
                    picture,
                    column![
                        ctx.text(title, Type::Title).color(palette::PRIMARY),
                        ctx.text(hint, Type::Body)
                    ]
                    .spacing(ctx.sp(Space::S))
                ]
                .spacing(ctx.sp(Space::L))
                .align_y(Alignment::Center)
                .into()
            };
            container(content)
                .padding(ctx.sp(if roomy { Space::Xl } else { Space::L }))
                .width(Length::Fill)
                .style(containers::card)
                .into()
        };
    let card_hint = if info.reader_unavailable {
        ctx.t("reader-unavailable")
    } else {
        ctx.t("attract-idcard-hint")
    };
    let card = way(
        icon::id_card_icon(picture_box),
        ctx.t("attract-idcard-title"),
        card_hint,
    );
    let qr = way(
        icon::qr_icon(picture_box * 0.8),
        ctx.t("attract-qr-title"),
        ctx.t("attract-qr-hint"),
    );
    match ctx.layout {
        Layout::Portrait => column![card, qr].spacing(ctx.sp(Space::L)).into(),
        Layout::Wide | Layout::Compact => row![card, qr].spacing(ctx.sp(Space::L)).into(),
    }
}

/// What else works, privacy, and the helpline, in a notice.
fn notes<'a>(ctx: Ctx<'a>, hotline: &str) -> Element<'a, Message> {
    container(
        column![
            ctx.text(ctx.t("attract-other-cards"), Type::Body),
            ctx.text(ctx.t("attract-privacy"), Type::Body),
            ctx.text(
                ctx.ta("attract-help", &[("hotline", Arg::Str(hotline))]),
                Type::Body
            ),
        ]
        .spacing(ctx.sp(Space::S)),
    )
    .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
    .width(Length::Fill)
    .style(containers::notice)
    .into()
}

/// The bands above the welcome: a card being read, a notice about the
/// last card, and the branch's line for residents, each when there is
/// one.
fn status_bands<'a>(ctx: Ctx<'a>, info: &Info<'_>) -> Column<'a, Message> {
    let mut body = Column::new();
    if let Some(step) = info.reading {
        // Four dots, one more lit each step: the terminal is working.
        let dots: String = (0..4)
            .map(|i| if i <= step % 4 { '●' } else { '○' })
            .collect();
        body = body.push(
            container(
                ctx.text(format!("{}  {dots}", ctx.t("reading-card")), Type::Title)
                    .color(palette::ON_PRIMARY),
            )
            .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
            .width(Length::Fill)
            .style(containers::header),
        );
    }
    if let Some(notice) = info.notice {
        body = body.push(
            container(
                ctx.text(ctx.t(notice), Type::Title)
                    .color(palette::ON_DANGER),
            )
            .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
            .width(Length::Fill)
            .style(containers::danger_band),
        );
    }
    if !info.banner.trim().is_empty() {
        body = body.push(
            container(
                ctx.text(info.banner.trim().to_owned(), Type::Title)
                    .color(palette::TEXT)
                    .center()
                    .width(Length::Fill),
            )
            .padding([ctx.sp(Space::M), ctx.sp(Space::L)])
            .width(Length::Fill)
            .style(containers::notice),
        );
    }
    body
}

/// Demo mode only: the button that places the sample ID card.
fn demo_button<'a>(ctx: Ctx<'a>) -> Element<'a, Message> {
    button(
        ctx.text(
            ctx.ta("attract-demo-hint", &[("key", Arg::Str("F2"))]),
            Type::Label,
        )
        .center(),
    )
    .height(ctx.m.touch_target())
    .padding([0.0, ctx.sp(Space::L)])
    .style(buttons::secondary)
    .on_press(Message::DemoPlaceCard)
    .into()
}
