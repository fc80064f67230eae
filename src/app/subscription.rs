//! What the UI listens to: clocks, input, window size, signals, and the
//! service threads through the subscriptions bridge.

use std::time::Duration;

use chrono::{Local, Timelike};
use iced::futures::{SinkExt, Stream};
use iced::{Event, Subscription, event, keyboard, mouse, touch, window};

use super::{App, Message, Screen};

impl App {
    /// Clocks, input, window size and signals.
    pub fn subscription(&self) -> Subscription<Message> {
        let mut subscriptions = vec![
            event::listen_with(on_event),
            Subscription::run(termination_signals),
        ];
        if self.session.is_some()
            || self.staff.idle.is_some()
            || matches!(self.screen, Screen::Identifying(_))
        {
            subscriptions.push(iced::time::every(Duration::from_secs(1)).map(Message::Tick));
        } else {
            // Only once a minute at the attract screen: the clock shows
            // minutes, and an idle terminal should cost next to nothing.
            subscriptions.push(Subscription::run(minute_clock));
        }
        if self.frames_seen == 0 {
            subscriptions.push(window::frames().map(|_| Message::Frame));
        }
        if let Some(every) = self.options.service_manager.beat_every() {
            subscriptions.push(iced::time::every(every).map(|_| Message::Alive));
        }
        if self.options.fullscreen {
            subscriptions.push(window::close_requests().map(Message::CloseRequested));
        }
        if self.options.demo {
            subscriptions.push(Subscription::run(demo_freeze_signal));
        }
        if self.reading() {
            subscriptions
                .push(iced::time::every(Duration::from_millis(250)).map(|_| Message::Spin));
        }
        if let Some(key) = &self.options.devices.scanner {
            subscriptions.push(crate::subscriptions::scanner(key.clone()).map(Message::Scanner));
        }
        if let Some(key) = &self.options.devices.reader {
            subscriptions.push(crate::subscriptions::reader(key.clone()).map(Message::Reader));
        }
        if let Some(service) = &self.options.devices.a4 {
            subscriptions.push(crate::subscriptions::a4(service.clone()).map(Message::A4));
        }
        if let Some(service) = &self.options.devices.receipt {
            subscriptions
                .push(crate::subscriptions::receipt(service.clone()).map(Message::Receipt));
        }
        if let Some(service) = &self.options.platform {
            subscriptions
                .push(crate::subscriptions::platform(service.clone()).map(Message::Platform));
        }
        if let Some(store) = &self.options.store {
            subscriptions.push(
                crate::subscriptions::disk(crate::disk::WatchKey {
                    store: store.clone(),
                    min_free_mb: self.options.config.store.min_free_mb,
                })
                .map(Message::Disk),
            );
        }
        Subscription::batch(subscriptions)
    }
}

fn on_event(event: Event, _status: event::Status, _window: window::Id) -> Option<Message> {
    match event {
        Event::Window(window::Event::Resized(size)) => Some(Message::Resized(size)),
        Event::Window(window::Event::Opened { size, .. }) => Some(Message::Resized(size)),
        Event::Mouse(mouse::Event::ButtonPressed(_)) => Some(Message::Activity),
        Event::Touch(touch::Event::FingerPressed { .. }) => Some(Message::Activity),
        // Alt+F4, Ctrl+W, Alt+Tab and the like are someone at the keyboard,
        // nothing more: no shortcut closes or leaves the kiosk, and the
        // demo's keys are the bare F keys.
        Event::Keyboard(keyboard::Event::KeyPressed { modifiers, .. })
            if modifiers.alt() || modifiers.control() || modifiers.logo() =>
        {
            Some(Message::Activity)
        }
        Event::Keyboard(keyboard::Event::KeyPressed { key, .. }) => Some(Message::Key(key)),
        _ => None,
    }
}

fn minute_clock() -> impl Stream<Item = Message> {
    iced::futures::stream::unfold((), |()| async {
        let now = Local::now();
        let into_minute = Duration::from_secs(u64::from(now.second()))
            + Duration::from_nanos(u64::from(now.nanosecond().min(999_999_999)));
        let wait = Duration::from_secs(60).saturating_sub(into_minute) + Duration::from_millis(20);
        tokio::time::sleep(wait).await;
        Some((Message::Clock(Local::now()), ()))
    })
}

/// Demo mode: SIGUSR1 freezes the UI loop (the watchdog drill).
fn demo_freeze_signal() -> impl Stream<Item = Message> {
    iced::stream::channel(1, async |mut output| {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::user_defined1()) {
            Ok(mut usr1) => {
                if usr1.recv().await.is_some() {
                    let _ = output.send(Message::DemoFreeze).await;
                }
            }
            Err(error) => tracing::warn!(%error, "demo: cannot listen for SIGUSR1"),
        }
        std::future::pending::<()>().await;
    })
}

fn termination_signals() -> impl Stream<Item = Message> {
    iced::stream::channel(1, async |mut output| {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
                let _ = output.send(Message::Terminate).await;
            }
            _ => tracing::error!("cannot listen for termination signals"),
        }
        std::future::pending::<()>().await;
    })
}
