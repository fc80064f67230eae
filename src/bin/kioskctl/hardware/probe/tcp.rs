//! Probing the A4 printer on the network: its PJL status and page count
//! over raw TCP.

use std::time::Duration;

use super::{Answered, Failed, Failure, answer, status_words};

pub(super) fn probe_tcp(address: &str, timeout: Duration) -> Result<Answered, Failed> {
    use tongban_laser::link::LinkError;
    use tongban_laser::tcp::{Printer, TcpError};
    let addr: std::net::SocketAddr = address.parse().map_err(|_| {
        (
            Failure::Config,
            format!("devices.a4_printer.address {address:?} is not host:port"),
        )
    })?;
    let said = |e: TcpError| match e {
        TcpError::Connect { reason, .. } => (
            Failure::NotFound,
            format!(
                "nothing takes connections on {addr} ({reason}): the printer is off, or its address in config is wrong"
            ),
        ),
        TcpError::Link(LinkError::Timeout(t)) => (
            Failure::Timeout,
            format!(
                "{addr} took the connection but gave no PJL answer within {t:?}: not a PJL printer, or busy"
            ),
        ),
        TcpError::Link(LinkError::Reply) => (
            Failure::Garbage,
            format!("{addr} answers something that is not PJL"),
        ),
        TcpError::Link(LinkError::Io(reason)) => (Failure::Io, format!("{addr}: {reason}")),
        e @ TcpError::Link(LinkError::Unanswered { .. }) => (
            Failure::Garbage,
            format!("{addr} keeps sending status but does not answer: {e}"),
        ),
    };
    let mut printer = Printer::connect(addr, timeout).map_err(said)?;
    let pjl = printer.status().map_err(said)?;
    let status = tongban_laser::pjl::device_status(&pjl);
    let mut answers = vec![
        answer("status", status_words(&status)),
        answer("pjl_status", format!("{} {}", pjl.code, pjl.display)),
    ];
    if let Ok(pages) = printer.pagecount() {
        answers.push(answer("pagecount", pages.to_string()));
    }
    Ok((answers, Some(status)))
}
