//! PJL: wrapping a PCL job, asking for status and page count, and reading
//! the replies into the device vocabulary.

use tongban_device::{CoverState, DeviceKind, DeviceState, DeviceStatus, MediaState, TonerState};

/// Universal Exit Language: starts and ends every PJL job.
pub const UEL: &[u8] = b"\x1b%-12345X";

/// A complete job: UEL, job name, PCL, end of job, UEL. Quotes in the name
/// are dropped (PJL has no escape for them).
pub fn job(name: &str, pcl: &[u8]) -> Vec<u8> {
    let name: String = name
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    let mut out = Vec::with_capacity(pcl.len() + 128);
    out.extend_from_slice(UEL);
    out.extend_from_slice(format!("@PJL JOB NAME=\"{name}\"\r\n").as_bytes());
    out.extend_from_slice(b"@PJL ENTER LANGUAGE=PCL\r\n");
    out.extend_from_slice(pcl);
    out.extend_from_slice(UEL);
    out.extend_from_slice(format!("@PJL EOJ NAME=\"{name}\"\r\n").as_bytes());
    out.extend_from_slice(UEL);
    out
}

/// Asks for the printer's status.
pub fn info_status() -> Vec<u8> {
    [UEL, b"@PJL INFO STATUS\r\n", UEL].concat()
}

/// Turns on unsolicited status (the printer reports changes by itself).
pub fn ustatus_on() -> Vec<u8> {
    [UEL, b"@PJL USTATUS DEVICE=ON\r\n", UEL].concat()
}

/// Asks for the page count.
pub fn info_pagecount() -> Vec<u8> {
    [UEL, b"@PJL INFO PAGECOUNT\r\n", UEL].concat()
}

/// A status reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The PJL status code (10001 ready …).
    pub code: u32,
    /// What the printer's panel says.
    pub display: String,
    /// Whether it is online.
    pub online: bool,
}

/// Splits replies at form feeds: each complete reply ends with FF.
pub fn split_replies(buffer: &mut Vec<u8>) -> Vec<String> {
    let mut replies = Vec::new();
    while let Some(end) = buffer.iter().position(|b| *b == 0x0C) {
        let reply: Vec<u8> = buffer.drain(..=end).collect();
        replies.push(String::from_utf8_lossy(&reply[..reply.len() - 1]).into_owned());
    }
    replies
}

/// Reads an `INFO STATUS` or `USTATUS DEVICE` reply.
pub fn parse_status(reply: &str) -> Option<Status> {
    let mut code = None;
    let mut display = String::new();
    let mut online = false;
    for line in reply.lines().map(str::trim) {
        if let Some(v) = line.strip_prefix("CODE=") {
            code = v.trim().parse().ok();
        } else if let Some(v) = line.strip_prefix("DISPLAY=") {
            display = v.trim().trim_matches('"').to_owned();
        } else if let Some(v) = line.strip_prefix("ONLINE=") {
            online = v.trim().eq_ignore_ascii_case("TRUE");
        }
    }
    Some(Status {
        code: code?,
        display,
        online,
    })
}

/// Reads an `INFO PAGECOUNT` reply: a bare number or `PAGECOUNT=n` (both
/// are seen).
pub fn parse_pagecount(reply: &str) -> Option<u64> {
    reply
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('@'))
        .find_map(|l| {
            l.strip_prefix("PAGECOUNT=")
                .unwrap_or(l)
                .trim()
                .parse()
                .ok()
        })
}

/// The device status a PJL status code means: 10001 ready; 10002 not
/// ready; 10006 toner low; 30xxx auto-continuable; 40xxx operator
/// intervention (40021 cover open); 41xyy paper out; 42xxx-44xxx jams;
/// 50xxx hardware.
pub fn device_status(status: &Status) -> DeviceStatus {
    let mut device = DeviceStatus {
        kind: DeviceKind::A4Printer,
        state: DeviceState::Online,
        media: Some(MediaState::Full),
        toner: Some(TonerState::Full),
        cover: Some(CoverState::Closed),
    };
    match status.code {
        10001 => {}
        10006 => device.toner = Some(TonerState::Low),
        10002..=10999 => device.state = DeviceState::Busy,
        30000..=39999 => {}
        40021 => {
            device.state = DeviceState::UserError;
            device.cover = Some(CoverState::Open);
        }
        41000..=41999 => {
            device.state = DeviceState::UserError;
            device.media = Some(MediaState::Out);
        }
        42000..=44999 => {
            device.state = DeviceState::UserError;
            device.media = Some(MediaState::Jammed);
        }
        40000..=40999 => device.state = DeviceState::UserError,
        50000..=59999 => device.state = DeviceState::HardwareError,
        _ => {
            device.media = Some(MediaState::Unknown);
            device.toner = Some(TonerState::Unknown);
            device.cover = Some(CoverState::Unknown);
        }
    }
    if !status.online && device.state == DeviceState::Online {
        device.state = DeviceState::Offline;
    }
    device
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_is_wrapped_in_uel_with_name_language_and_eoj() {
        let bytes = job("licence \"copy\"", b"PCL");
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(
            text,
            "\u{1b}%-12345X@PJL JOB NAME=\"licence copy\"\r\n@PJL ENTER LANGUAGE=PCL\r\nPCL\u{1b}%-12345X@PJL EOJ NAME=\"licence copy\"\r\n\u{1b}%-12345X"
        );
        assert_eq!(
            info_status(),
            b"\x1b%-12345X@PJL INFO STATUS\r\n\x1b%-12345X"
        );
        assert_eq!(
            info_pagecount(),
            b"\x1b%-12345X@PJL INFO PAGECOUNT\r\n\x1b%-12345X"
        );
        assert_eq!(
            ustatus_on(),
            b"\x1b%-12345X@PJL USTATUS DEVICE=ON\r\n\x1b%-12345X"
        );
    }

    #[test]
    fn status_replies_parse_and_map_to_the_device_model() {
        let mut buffer = b"@PJL INFO STATUS\r\nCODE=10001\r\nDISPLAY=\"Ready\"\r\nONLINE=TRUE\r\n\x0c@PJL USTATUS DEVICE\r\nCODE=41201\r\nDISPLAY=\"Tray 2 empty\"\r\nONLINE=FALSE\r\n\x0cpartial".to_vec();
        let replies = split_replies(&mut buffer);
        assert_eq!(buffer, b"partial");
        let ready = parse_status(&replies[0]).unwrap();
        assert_eq!(
            ready,
            Status {
                code: 10001,
                display: "Ready".into(),
                online: true
            }
        );
        assert_eq!(device_status(&ready).state, DeviceState::Online);
        let out = device_status(&parse_status(&replies[1]).unwrap());
        assert_eq!(out.state, DeviceState::UserError);
        assert_eq!(out.media, Some(MediaState::Out));
        let cover = device_status(&Status {
            code: 40021,
            display: String::new(),
            online: false,
        });
        assert_eq!(cover.cover, Some(CoverState::Open));
        let jam = device_status(&Status {
            code: 42112,
            display: String::new(),
            online: false,
        });
        assert_eq!(jam.media, Some(MediaState::Jammed));
        let toner = device_status(&Status {
            code: 10006,
            display: String::new(),
            online: true,
        });
        assert_eq!(
            (toner.state, toner.toner),
            (DeviceState::Online, Some(TonerState::Low))
        );
        let broken = device_status(&Status {
            code: 50100,
            display: String::new(),
            online: false,
        });
        assert_eq!(broken.state, DeviceState::HardwareError);
        assert_eq!(parse_status("@PJL INFO STATUS\r\nDISPLAY=\"x\""), None);
    }

    #[test]
    fn page_counts_come_bare_or_named() {
        assert_eq!(
            parse_pagecount("@PJL INFO PAGECOUNT\r\n12345\r\n"),
            Some(12345)
        );
        assert_eq!(
            parse_pagecount("@PJL INFO PAGECOUNT\r\nPAGECOUNT=678\r\n"),
            Some(678)
        );
        assert_eq!(parse_pagecount("@PJL INFO PAGECOUNT\r\n"), None);
    }
}
