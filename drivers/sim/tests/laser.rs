//! The A4 printer's TCP transport and PJL/PCL against the simulated printer
//! on loopback: pages printed to PNG, page count, paper running out in the
//! middle of a job, and cover, jam and toner states seen within 2 s.

use std::time::{Duration, Instant};

use tongban_device::{CoverState, DeviceState, MediaState, TonerState};
use tongban_laser::encode_page;
use tongban_laser::pcl::Bitmap;
use tongban_laser::pjl::{self, device_status};
use tongban_laser::tcp::Printer;
use tongban_sim::LaserSim;

fn page(mark: usize) -> Bitmap {
    let mut page = Bitmap::new(600, 400);
    for i in 0..400 {
        page.set(i + mark, i);
        page.set(10, i);
    }
    page
}

fn job(pages: &[Bitmap]) -> Vec<u8> {
    let pcl: Vec<u8> = pages.iter().flat_map(encode_page).collect();
    pjl::job("licence copy", &pcl)
}

fn connect(sim: &LaserSim) -> Printer {
    Printer::connect(sim.addr(), Duration::from_secs(2)).unwrap()
}

/// Polls the page count until it reaches `n` (the printer works in its own time).
fn wait_pagecount(printer: &mut Printer, n: u64) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let count = printer.pagecount().unwrap();
        if count >= n || Instant::now() > deadline {
            return count;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_two_page_job_prints_two_pngs_that_match_what_was_sent() {
    let dir = tempfile::tempdir().unwrap();
    let sim = LaserSim::start(10, dir.path()).unwrap();
    let mut printer = connect(&sim);
    assert_eq!(
        device_status(&printer.status().unwrap()).state,
        DeviceState::Online
    );
    let pages = [page(0), page(100)];
    printer.send(&job(&pages)).unwrap();
    assert_eq!(wait_pagecount(&mut printer, 2), 2);
    assert_eq!(sim.sheets(), 8);
    let files = sim.printed();
    assert_eq!(files.len(), 2);
    // The PNG holds exactly the page's dots.
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&files[1]).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    reader.next_frame(&mut buf).unwrap();
    let inverted: Vec<u8> = buf.iter().map(|b| !b).collect();
    assert_eq!(inverted, pages[1].data);
}

#[test]
fn paper_out_after_page_one_of_two_stops_the_job_and_reports_paper_out() {
    let dir = tempfile::tempdir().unwrap();
    let sim = LaserSim::start(1, dir.path()).unwrap();
    let mut printer = connect(&sim);
    printer.send(&job(&[page(0), page(50)])).unwrap();
    assert_eq!(wait_pagecount(&mut printer, 2), 1);
    let status = device_status(&printer.status().unwrap());
    assert_eq!(status.state, DeviceState::UserError);
    assert_eq!(status.media, Some(MediaState::Out));
    assert_eq!(sim.printed().len(), 1);
}

#[test]
fn cover_jam_and_toner_show_in_the_device_state_within_2_s() {
    let dir = tempfile::tempdir().unwrap();
    let sim = LaserSim::start(10, dir.path()).unwrap();
    let mut printer = connect(&sim);
    printer.send(&pjl::ustatus_on()).unwrap();
    let within = |printer: &mut Printer, check: &dyn Fn(&tongban_device::DeviceStatus) -> bool| {
        let started = Instant::now();
        // Unsolicited status arrives by itself; no request is sent.
        while started.elapsed() < Duration::from_secs(2) {
            if let Ok(reply) = printer.reply()
                && let Some(status) = pjl::parse_status(&reply)
                && check(&device_status(&status))
            {
                return started.elapsed();
            }
        }
        panic!("state not seen within 2 s");
    };
    sim.set_cover_open(true);
    within(&mut printer, &|s| s.cover == Some(CoverState::Open));
    sim.set_cover_open(false);
    sim.set_jammed(true);
    within(&mut printer, &|s| s.media == Some(MediaState::Jammed));
    sim.set_jammed(false);
    sim.set_toner_low(true);
    within(&mut printer, &|s| s.toner == Some(TonerState::Low));
}
