//! The process and the window: the first frame, the service manager's
//! watchdog, fitting the window to the monitor, and stopping (waiting for
//! the licence pages under way before a stop).

use std::time::Duration;

use iced::{Size, Task, window};

use super::{App, EndReason, Message};

/// How long a stop waits for the licence print job under way (systemd's
/// stop timeout in the unit is longer).
const STOP_GRACE: Duration = Duration::from_secs(10);

impl App {
    /// The window's and the process's messages.
    pub(super) fn lifecycle(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Resized(size) => self.viewport = size,
            Message::Monitor(id, size) => return Self::fit_to_monitor(id, size),
            Message::Frame => return self.frame(),
            Message::Terminate => return self.terminate(),
            Message::StopNow => return self.stop_now(),
            Message::Alive => self.options.service_manager.beat(),
            Message::CloseRequested(id) => return self.close_requested(id),
            Message::DemoFreeze => self.demo_freeze(),
            _ => {}
        }
        Task::none()
    }

    /// Fits a fullscreen window to its monitor, even where no window
    /// manager applies the fullscreen request (a bare X server).
    pub(super) fn fit_to_monitor(id: window::Id, size: Option<Size>) -> Task<Message> {
        let Some(size) = size else {
            tracing::warn!("monitor size unknown");
            return Task::none();
        };
        tracing::info!(
            width = size.width,
            height = size.height,
            "fitting the window to the monitor"
        );
        Task::batch([
            window::move_to(id, iced::Point::ORIGIN),
            window::resize(id, size),
            window::set_mode(id, window::Mode::Fullscreen),
        ])
    }

    /// A frame was presented: the first one tells the service manager the
    /// kiosk is ready (and ends a start-up timing run).
    pub(super) fn frame(&mut self) -> Task<Message> {
        self.frames_seen = self.frames_seen.saturating_add(1);
        if self.frames_seen == 1 {
            tracing::info!(
                elapsed_ms = self.options.started.elapsed().as_millis() as u64,
                "first frame presented"
            );
            self.options.service_manager.ready();
            if self.options.exit_after_first_frame {
                return iced::exit();
            }
        }
        Task::none()
    }

    /// SIGTERM or SIGINT: stop, once the licence pages coming out are out.
    pub(super) fn terminate(&mut self) -> Task<Message> {
        if self.stopping {
            return Task::none();
        }
        self.stopping = true;
        self.options.service_manager.stopping();
        tracing::info!("termination requested; stopping");
        if self.licence_job.is_some() {
            // Pages are coming out: let the printer finish them, so the
            // journal says what came out instead of "uncertain".
            tracing::info!(
                grace_secs = STOP_GRACE.as_secs(),
                "waiting for the licence print job before stopping"
            );
            // The timer is made when the runtime polls it, inside its
            // reactor, not here.
            return Task::perform(async { tokio::time::sleep(STOP_GRACE).await }, |()| {
                Message::StopNow
            });
        }
        self.stop_now()
    }

    /// Stops now, whether or not the print job waited for ended.
    pub(super) fn stop_now(&mut self) -> Task<Message> {
        if self.licence_job.is_some() {
            tracing::warn!("stopping with a print job still open; it is journalled as uncertain");
        }
        if self.session.is_some() {
            // An unused ticket's release would need the runtime that is
            // stopping; the platform's open tickets lapse.
            let _ = self.end_session(EndReason::Shutdown);
        }
        iced::exit()
    }

    /// The window system asked to close the window.
    pub(super) fn close_requested(&self, id: window::Id) -> Task<Message> {
        if self.options.fullscreen {
            // Kiosk mode: only maintenance mode leads anywhere else.
            tracing::info!("window close request ignored (kiosk mode)");
            Task::none()
        } else {
            window::close(id)
        }
    }

    /// Demo mode: SIGUSR1 freezes the UI loop, to try the watchdog.
    pub(super) fn demo_freeze(&self) {
        if self.options.demo {
            tracing::warn!("demo: the UI loop freezes now (SIGUSR1), to try the watchdog");
            loop {
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
    }
}
