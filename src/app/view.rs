//! The whole window: header, the screen, footer and the overlays.

use chrono::{Datelike, Timelike, Weekday};
use iced::Element;

use super::{App, Message, Notice, Screen, StaffMessage};
use crate::i18n::Arg;
use crate::screen::{attract, farewell, identified, identify, maintenance, out_of_service};
use crate::widget::{self, HeaderInfo};

impl App {
    /// The whole window.
    pub fn view(&self) -> Element<'_, Message> {
        let ctx = self.ctx();
        let config = &self.options.config;
        let header = widget::header(
            ctx,
            HeaderInfo {
                service: ctx.pick(&config.service.name),
                branch: ctx.pick(&config.terminal.branch_name),
                date: self.date_line(),
                time: format!("{:02}:{:02}", self.now.hour(), self.now.minute()),
                elder: self.elder,
            },
            Message::ToggleLanguage,
            Message::ToggleElder,
        );
        let service_state = self.service_state();
        let out_of_service = service_state != maintenance::ServiceState::InService;
        let oos_reason = service_state.reason().to_owned();
        let body: Element<'_, Message> = match (&self.screen, &self.session) {
            (Screen::Home(state), Some(active)) => state
                .view(ctx, &active.session.identity().masked_name())
                .map(Message::Home),
            (Screen::Licences(state), Some(_)) => state.view(ctx).map(Message::Licences),
            (Screen::LicencePrint(state), Some(_)) => state.view(ctx).map(Message::LicencePrint),
            (Screen::Services(state), Some(_)) if self.catalogue.is_some() => {
                let (catalogue, _) = self.catalogue.as_ref().expect("checked");
                state.view(ctx, catalogue).map(Message::Services)
            }
            (Screen::Guide(state), Some(_)) if self.catalogue.is_some() => {
                let (catalogue, _) = self.catalogue.as_ref().expect("checked");
                state.view(ctx, catalogue).map(Message::Guide)
            }
            (Screen::Apply(state), Some(_)) if self.catalogue.is_some() => {
                let (catalogue, _) = self.catalogue.as_ref().expect("checked");
                state.view(ctx, catalogue).map(Message::Apply)
            }
            (Screen::Submitted(state), Some(_)) => state.view(ctx).map(Message::AfterSubmit),
            (Screen::Progress(state), Some(_)) => state
                .view(ctx, self.catalogue.as_ref().map(|(c, _)| c.as_ref()))
                .map(Message::Progress),
            (Screen::Rating(state), Some(_)) => state.view(ctx).map(Message::Rating),
            (Screen::Identifying(_), None) => identify::view(ctx).map(Message::Identify),
            (Screen::Farewell(_), None) => farewell::view(ctx).map(Message::Farewell),
            (Screen::Pin(state), None) => state
                .view(ctx)
                .map(|m| Message::Staff(StaffMessage::Pin(m))),
            (Screen::Maintenance(state), None) => state
                .view(
                    ctx,
                    maintenance::Board {
                        status: &self.status,
                        problems: &self.staff.problems,
                        service: service_state,
                        configured: self.configured(),
                        tray_sheets: i64::from(config.devices.a4_printer.tray_sheets),
                        roll_mm: i64::from(config.devices.receipt_printer.roll_length_mm),
                        toner_pages: i64::from(config.devices.a4_printer.toner_yield_pages),
                        refused_keep_days: config.store.refused_keep_days,
                    },
                )
                .map(|m| Message::Staff(StaffMessage::Maintenance(m))),

            _ if out_of_service => out_of_service::view(ctx, &oos_reason, &config.service.hotline)
                .map(|never| match never {}),
            _ => attract::view(
                ctx,
                attract::Info {
                    hotline: &config.service.hotline,
                    demo: self.options.demo,
                    notice: self.notice().map(Notice::message_id),
                    reading: self.reading().then_some(self.spin),
                    reader_unavailable: self.reader_unavailable(),
                    banner: ctx.pick(&config.service.banner),
                },
            )
            .map(Message::Attract),
        };
        let footer = widget::footer(ctx, &config.terminal.id, &self.status, self.options.demo);
        // The staff entry: a long press on the status bar while no
        // resident is served.
        let footer = if self.session.is_none() && !self.in_staff_mode() {
            iced::widget::mouse_area(footer)
                .on_press(Message::Staff(StaffMessage::Corner(true)))
                .on_release(Message::Staff(StaffMessage::Corner(false)))
                .into()
        } else {
            footer
        };
        let page = widget::page(header, body, footer);
        if let (true, Some(active)) = (self.confirming, &self.session) {
            let card = identified::view(ctx, &active.session.identity().masked_name())
                .map(|never| match never {});
            return widget::modal(page, card);
        }
        match self.idle_warning() {
            Some(remaining) => widget::modal(
                page,
                widget::idle_card(ctx, remaining, Message::ExtendSession, Message::EndSession),
            ),
            None => page,
        }
    }

    pub(super) fn date_line(&self) -> String {
        let weekday = match self.now.weekday() {
            Weekday::Mon => "weekday-mon",
            Weekday::Tue => "weekday-tue",
            Weekday::Wed => "weekday-wed",
            Weekday::Thu => "weekday-thu",
            Weekday::Fri => "weekday-fri",
            Weekday::Sat => "weekday-sat",
            Weekday::Sun => "weekday-sun",
        };
        let weekday = self.ctx().t(weekday);
        self.ctx().ta(
            "date-long",
            &[
                ("year", Arg::Num(i64::from(self.now.year()))),
                ("month", Arg::Num(i64::from(self.now.month()))),
                ("day", Arg::Num(i64::from(self.now.day()))),
                ("weekday", Arg::Str(&weekday)),
            ],
        )
    }
}
