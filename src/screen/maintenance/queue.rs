//! The queue tab: the outbox (what waits to be sent, what the platform
//! refused, a forced sync) and the print journal (counts, uncertain jobs
//! staff resolve, recent jobs).

use iced::widget::{Column, column, container, row};
use iced::{Alignment, Element, Length};

use super::{Board, Message, State, hint_with_action, short_time};
use crate::facts::Facts;
use crate::i18n::Arg;
use crate::store::{JobRecord, JobState, SubmissionKind};
use crate::theme::{Space, Type, containers, palette};
use crate::widget::{self, Ctx};

impl State {
    /// The queue tab: the outbox card over the print journal card (or
    /// "loading" until the facts come).
    pub(super) fn queue<'a>(&'a self, ctx: Ctx<'a>, board: &Board<'a>) -> Element<'a, Message> {
        let Some(facts) = &self.facts else {
            return ctx.text(ctx.t("mt-loading"), Type::Body).into();
        };
        let outbox = outbox_part(ctx, facts, board);
        let journal = journal_part(ctx, facts);
        let boxed = |e: Column<'a, Message>| -> Element<'a, Message> {
            container(e.padding(ctx.sp(Space::L)))
                .width(Length::Fill)
                .style(containers::card)
                .into()
        };
        column![boxed(outbox), boxed(journal)]
            .spacing(ctx.sp(Space::M))
            .into()
    }
}

/// The outbox: how many submissions wait or were refused and how old the
/// oldest is, the sync button, and each refused submission.
fn outbox_part<'a>(ctx: Ctx<'a>, facts: &Facts, board: &Board<'_>) -> Column<'a, Message> {
    let age = facts
        .outbox_oldest_secs
        .map(|s| duration_words(ctx, s))
        .unwrap_or_else(|| ctx.t("mt-none"));
    let counts = [
        ("waiting", count(facts.outbox_depth)),
        ("rejected", count(facts.outbox_rejected)),
        ("age", Arg::Str(&age)),
    ];
    let outbox = column![
        ctx.text(ctx.t("mt-outbox"), Type::Title),
        ctx.text(ctx.ta("mt-outbox-counts", &counts), Type::Label),
        hint_with_action(ctx, "mt-sync-hint", "mt-sync", Message::Sync),
    ]
    .spacing(ctx.sp(Space::S));
    if facts.refused.is_empty() {
        return outbox;
    }
    let hint = ctx.ta(
        "mt-refused-hint",
        &[("days", count(board.refused_keep_days))],
    );
    let outbox = outbox.push(ctx.text(hint, Type::Body).color(palette::WARNING));
    let refused = facts.refused.iter().map(|r| refused_words(ctx, r));
    muted_lines(ctx, outbox, refused)
}

/// The print journal: its counts, the uncertain jobs with a button for
/// each answer, then the recent jobs.
fn journal_part<'a>(ctx: Ctx<'a>, facts: &Facts) -> Column<'a, Message> {
    let j = &facts.journal;
    let counts = [
        ("printed", count(j.printed)),
        ("failed", count(j.failed)),
        ("uncertain", count(j.uncertain)),
        ("open", count(j.journalled + j.sending)),
    ];
    let mut journal = column![
        ctx.text(ctx.t("mt-journal"), Type::Title),
        ctx.text(ctx.ta("mt-journal-counts", &counts), Type::Label),
    ]
    .spacing(ctx.sp(Space::S));
    let (note, colour) = if facts.uncertain.is_empty() {
        ("mt-no-uncertain", palette::TEXT_MUTED)
    } else {
        ("mt-uncertain-hint", palette::WARNING)
    };
    journal = journal.push(ctx.text(ctx.t(note), Type::Body).color(colour));
    for job in &facts.uncertain {
        let answer = |printed, label| {
            widget::secondary_button(ctx, ctx.t(label), Some(Message::Resolve(job.id, printed)))
        };
        journal = journal.push(
            row![
                ctx.text(job_words(ctx, job), Type::Body)
                    .width(Length::Fill),
                answer(true, "mt-resolve-printed"),
                answer(false, "mt-resolve-not-printed"),
            ]
            .spacing(ctx.sp(Space::M))
            .align_y(Alignment::Center),
        );
    }
    if facts.recent_jobs.is_empty() {
        return journal;
    }
    let heading = ctx
        .text(ctx.t("mt-recent-jobs"), Type::Label)
        .color(palette::TEXT_MUTED);
    let recent = facts.recent_jobs.iter().map(|j| job_words(ctx, j));
    muted_lines(ctx, journal.push(heading), recent)
}

/// A count as a Fluent number.
fn count(n: u64) -> Arg<'static> {
    Arg::Num(i64::try_from(n).unwrap_or(i64::MAX))
}

/// `column` with each of `lines` under it in muted body text.
fn muted_lines<'a>(
    ctx: Ctx<'a>,
    column: Column<'a, Message>,
    lines: impl Iterator<Item = String>,
) -> Column<'a, Message> {
    lines.fold(column, |column, line| {
        column.push(ctx.text(line, Type::Body).color(palette::TEXT_MUTED))
    })
}

/// How old the oldest waiting submission is, in seconds, minutes, hours
/// or days.
fn duration_words(ctx: Ctx<'_>, secs: u64) -> String {
    let (id, n) = match secs {
        0..120 => ("mt-age-seconds", secs),
        120..7_200 => ("mt-age-minutes", secs / 60),
        7_200..172_800 => ("mt-age-hours", secs / 3600),
        _ => ("mt-age-days", secs / 86_400),
    };
    ctx.ta(id, &[("n", count(n))])
}

/// One refused submission for staff: what it was for, when it was taken,
/// the platform's reason, and whether the resident's form is still kept.
fn refused_words(ctx: Ctx<'_>, refused: &crate::store::Refused) -> String {
    let kept = if refused.body_kept {
        ctx.t("mt-refused-form-kept")
    } else {
        ctx.t("mt-refused-form-dropped")
    };
    ctx.ta(
        "mt-refused-line",
        &[
            (
                "kind",
                Arg::Str(&ctx.t(match refused.kind {
                    SubmissionKind::Application => "mt-submission-application",
                    SubmissionKind::Rating => "mt-submission-rating",
                    SubmissionKind::PrintResult => "mt-submission-print-result",
                })),
            ),
            ("item", Arg::Str(&refused.summary)),
            ("at", Arg::Str(&short_time(&refused.created_at))),
            ("reason", Arg::Str(&refused.reason)),
            ("kept", Arg::Str(&kept)),
        ],
    )
}

/// One print job for staff: its printer, kind, pages, state, reason and
/// last change.
fn job_words(ctx: Ctx<'_>, job: &JobRecord) -> String {
    let printer = if job.printer == "a4" {
        ctx.t("device-a4-printer")
    } else {
        ctx.t("device-receipt-printer")
    };
    ctx.ta(
        "mt-job-line",
        &[
            ("id", Arg::Num(job.id)),
            ("printer", Arg::Str(&printer)),
            ("kind", Arg::Str(&known(ctx, "mt-kind-", &job.kind))),
            ("printed", Arg::Num(i64::from(job.printed))),
            ("pages", Arg::Num(i64::from(job.pages))),
            (
                "state",
                Arg::Str(&ctx.t(match job.state {
                    JobState::Journalled => "mt-job-journalled",
                    JobState::Sending => "mt-job-sending",
                    JobState::Printed => "mt-job-printed",
                    JobState::Failed => "mt-job-failed",
                    JobState::Uncertain => "mt-job-uncertain",
                })),
            ),
            ("reason", Arg::Str(&known(ctx, "mt-reason-", &job.reason))),
            ("at", Arg::Str(&short_time(&job.updated_at))),
        ],
    )
}

/// The journal's word in the current language where the texts have it
/// (`prefix` + the word with spaces and punctuation as dashes), else as
/// it is.
fn known(ctx: Ctx<'_>, prefix: &str, word: &str) -> String {
    if word.is_empty() {
        return String::new();
    }
    let slug: String = word
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let id = format!("{prefix}{slug}");
    if ctx.i18n.has(&id) {
        ctx.t(&id)
    } else {
        word.to_owned()
    }
}
