//! Printing copies of one of the resident's electronic licences: choose
//! what the copy is for (the purposes the config lists, or one typed on
//! the on-screen keyboard; it is printed across the copy as a watermark
//! with the date), see the exact page that will print, choose the copies
//! within what the platform's ticket allows (and the price, where the
//! service charges), print, and see how it went: pages as the printer
//! confirms them, and, if the printer stops, what happened, what to do,
//! and a retry that prints only the copies that did not come out.

mod view;

#[cfg(test)]
mod tests;

use iced::widget::image;
use kiosk_config::Localized;
use tongban_platform_api::licence::LicenceSummary;

use crate::print::prepare::Unprintable;
use crate::print::service::{Cause, Progress};
use crate::widget::keyboard::{Key, Keyboard, Mode, Outcome};

/// Longest purpose a resident may type.
pub const OTHER_MAX: usize = 12;

/// Which purpose was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chosen {
    /// One of the config's purposes (its index).
    Listed(usize),
    /// One the resident typed.
    Other,
}

/// The page that will print, scaled for the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// The scaled page.
    pub image: image::Handle,
}

/// Where the job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Choosing the purpose.
    Purpose,
    /// Asking the platform for a ticket and composing the page.
    Preparing,
    /// The page as it will print; choosing copies.
    Preview,
    /// Queued or printing.
    Printing {
        /// Pages the printer confirmed.
        printed: u32,
        /// Pages asked for.
        pages: u32,
    },
    /// Everything came out.
    Done,
    /// The printer stopped.
    Failed {
        /// Pages that came out.
        printed: u32,
        /// Pages asked for.
        pages: u32,
        /// Why.
        cause: Cause,
    },
    /// Nobody can tell what came out.
    Uncertain,
    /// The job never started.
    Refused(Cause),
    /// No ticket or no page.
    Problem(Unprintable),
}

/// What the screen can ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// One of the listed purposes was chosen.
    Purpose(usize),
    /// "Other": the resident types the purpose.
    Other,
    /// A key of the keyboard (typing the other purpose).
    Key(Key),
    /// On to the preview.
    Next,
    /// One more copy.
    More,
    /// One copy fewer.
    Fewer,
    /// Print.
    Print,
    /// Print the copies that did not come out.
    Retry,
    /// Back a step (or to the list).
    Back,
    /// Back to the resident's home.
    Finish,
}

/// What the top level must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Ask the platform for a ticket and compose the page.
    Ticket {
        /// The watermark's purpose (Chinese: the copy is a Chinese document).
        purpose: String,
        /// Most copies wanted.
        copies: u32,
    },
    /// The ticket will not be used: tell the platform.
    Cancel,
    /// Print this many copies of the prepared page.
    Print {
        /// Copies.
        copies: u32,
    },
    /// Back to the list of licences.
    List,
    /// Back to the resident's home.
    Home,
}

/// The screen's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The licence.
    pub licence: LicenceSummary,
    /// The purposes offered.
    pub purposes: Vec<Localized>,
    /// The one chosen.
    pub chosen: Option<Chosen>,
    /// The purpose typed under "other".
    pub other: String,
    /// The keyboard, while the other purpose is typed.
    pub keyboard: Option<Keyboard>,
    /// Where the job is.
    pub step: Step,
    /// Copies chosen.
    pub copies: u32,
    /// Copies the ticket allows.
    pub allowed: u32,
    /// Copies a ticket is asked for.
    pub max_copies: u32,
    /// Price of a copy in fen (0: free).
    pub price_fen: u32,
    /// Why the A4 printer cannot print now, if it cannot.
    pub blocked: Option<Cause>,
    /// The prepared page.
    pub preview: Option<Preview>,
    /// Copies printed in this visit (over retries).
    pub printed_total: u32,
    /// A retry is being prepared: it prints without a second preview.
    retrying: bool,
}

impl State {
    /// Takes what changed elsewhere: the A4 printer, the ticket's
    /// problem, the job's progress.
    pub fn hear(&mut self, news: &super::News<'_>) -> bool {
        use super::News;
        use tongban_device::DeviceKind;
        match news {
            News::PrinterBlocked(DeviceKind::A4Printer, cause) => self.blocked = *cause,
            News::LicenceProblem(problem) => self.problem(*problem),
            News::LicenceProgress(progress) => self.progress(*progress),
            _ => return false,
        }
        true
    }

    /// The licence whose copy this is.
    pub fn licence(&self) -> &LicenceSummary {
        &self.licence
    }

    /// Whether the screen waits for the ticket and the page.
    pub fn preparing(&self) -> bool {
        self.step == Step::Preparing
    }

    /// The purpose step for a licence.
    pub fn new(
        licence: LicenceSummary,
        purposes: Vec<Localized>,
        max_copies: u32,
        price_fen: u32,
    ) -> Self {
        Self {
            licence,
            purposes,
            chosen: None,
            other: String::new(),
            keyboard: None,
            step: Step::Purpose,
            copies: 1,
            allowed: 0,
            max_copies: max_copies.max(1),
            price_fen,
            blocked: None,
            preview: None,
            printed_total: 0,
            retrying: false,
        }
    }

    /// The watermark's words for the chosen purpose, if one is complete.
    pub fn purpose(&self) -> Option<String> {
        match self.chosen? {
            Chosen::Listed(i) => self.purposes.get(i).map(|p| p.zh.clone()),
            Chosen::Other => {
                let typed = self.other.trim();
                (!typed.is_empty()).then(|| typed.to_owned())
            }
        }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Action {
        match (message, self.step) {
            (Message::Purpose(i), Step::Purpose) if i < self.purposes.len() => {
                self.chosen = Some(Chosen::Listed(i));
                self.keyboard = None;
            }
            (Message::Other, Step::Purpose) => {
                self.chosen = Some(Chosen::Other);
                self.keyboard = Some(Keyboard::new(Mode::Pinyin));
            }
            (Message::Key(key), Step::Purpose) => {
                if let Some(kb) = &mut self.keyboard
                    && kb.press(key, &mut self.other, OTHER_MAX) == Outcome::Done
                {
                    self.keyboard = None;
                }
            }
            (Message::Next, Step::Purpose) => {
                if let (Some(purpose), None) = (self.purpose(), self.blocked) {
                    self.keyboard = None;
                    self.step = Step::Preparing;
                    self.retrying = false;
                    return Action::Ticket {
                        purpose,
                        copies: self.max_copies,
                    };
                }
            }
            (Message::More, Step::Preview) => self.copies = (self.copies + 1).min(self.allowed),
            (Message::Fewer, Step::Preview) => self.copies = self.copies.saturating_sub(1).max(1),
            (Message::Print, Step::Preview) if self.blocked.is_none() && self.copies >= 1 => {
                self.step = Step::Printing {
                    printed: 0,
                    pages: self.copies,
                };
                return Action::Print {
                    copies: self.copies,
                };
            }
            (Message::Retry, Step::Failed { printed, pages, .. })
                if self.blocked.is_none() && printed < pages =>
            {
                if let Some(purpose) = self.purpose() {
                    self.step = Step::Preparing;
                    self.retrying = true;
                    self.preview = None;
                    return Action::Ticket {
                        purpose,
                        copies: pages - printed,
                    };
                }
            }
            (Message::Back, Step::Purpose) if self.keyboard.is_some() => self.keyboard = None,
            (Message::Back, Step::Purpose) => return Action::List,
            (Message::Back, Step::Preview) => {
                self.step = Step::Purpose;
                self.preview = None;
                return Action::Cancel;
            }
            (Message::Back, Step::Problem(_)) => {
                self.step = Step::Purpose;
            }
            (Message::Finish, step) if !matches!(step, Step::Printing { .. } | Step::Preparing) => {
                return Action::Home;
            }
            _ => {}
        }
        Action::None
    }

    /// The ticket came and the page is composed: the preview, or, for a
    /// retry, straight to printing (the resident saw the page already).
    pub fn prepared(&mut self, allowed: u32, preview: Preview) -> Action {
        if self.step != Step::Preparing {
            return Action::None;
        }
        self.allowed = allowed.max(1);
        self.preview = Some(preview);
        if self.retrying {
            self.retrying = false;
            // The ticket may allow fewer than were missing.
            self.copies = self.allowed;
            self.step = Step::Printing {
                printed: 0,
                pages: self.copies,
            };
            return Action::Print {
                copies: self.copies,
            };
        }
        self.copies = 1;
        self.step = Step::Preview;
        Action::None
    }

    /// No ticket or no page.
    pub fn problem(&mut self, problem: Unprintable) {
        if self.step == Step::Preparing {
            self.step = Step::Problem(problem);
            self.retrying = false;
        }
    }

    /// The printing service reported on the job.
    pub fn progress(&mut self, progress: Progress) {
        self.step = match progress {
            Progress::Started { pages, .. } => Step::Printing { printed: 0, pages },
            Progress::Page { printed, pages } => Step::Printing { printed, pages },
            Progress::Printed => {
                if let Step::Printing { pages, .. } = self.step {
                    self.printed_total += pages;
                }
                Step::Done
            }
            Progress::Failed {
                printed,
                pages,
                cause,
            } => {
                self.printed_total += printed;
                Step::Failed {
                    printed,
                    pages,
                    cause,
                }
            }
            Progress::Uncertain { .. } => Step::Uncertain,
            Progress::Refused(cause) => Step::Refused(cause),
        };
    }

    /// Whether a job is under way (the session must not end under it).
    pub fn printing(&self) -> bool {
        matches!(self.step, Step::Printing { .. })
    }
}

/// Fen as yuan: 150 → "1.50".
pub fn yuan(fen: u32) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}
