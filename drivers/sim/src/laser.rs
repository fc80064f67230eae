//! An A4 laser printer on loopback TCP (its port 9100): it parses the PJL
//! and PCL it receives, renders each page it "prints" to a PNG, answers PJL
//! status and page count, and models a tray with a sheet count, paper out,
//! a jam, an open cover and low toner.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use tongban_laser::pcl::{Bitmap, PageDecoder};
use tongban_laser::pjl::UEL;

#[derive(Debug)]
struct State {
    sheets: u32,
    jammed: bool,
    cover_open: bool,
    toner_low: bool,
    pagecount: u64,
    printed: Vec<PathBuf>,
    out_dir: PathBuf,
}

impl State {
    fn code(&self) -> (u32, &'static str, bool) {
        if self.cover_open {
            (40021, "Close the cover", false)
        } else if self.jammed {
            (42112, "Paper jam", false)
        } else if self.sheets == 0 {
            (41201, "Load tray 2 A4", false)
        } else if self.toner_low {
            (10006, "Toner low", true)
        } else {
            (10001, "Ready", true)
        }
    }

    fn can_print(&self) -> bool {
        !self.cover_open && !self.jammed && self.sheets > 0
    }
}

/// A running A4 printer simulator. Dropping it stops it.
pub struct LaserSim {
    state: Arc<Mutex<State>>,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl LaserSim {
    /// Starts a printer on 127.0.0.1 with `sheets` in its tray; pages are
    /// written to `out_dir` as `page-0001.png`, ….
    pub fn start(sheets: u32, out_dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(out_dir)?;
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State {
            sheets,
            jammed: false,
            cover_open: false,
            toner_low: false,
            pagecount: 0,
            printed: Vec::new(),
            out_dir: out_dir.to_owned(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let state = state.clone();
            let stop = stop.clone();
            std::thread::Builder::new()
                .name("sim-a4-printer".into())
                .spawn(move || accept(listener, &state, &stop))?
        };
        Ok(Self {
            state,
            addr,
            stop,
            thread: Some(thread),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Where the printer listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Sheets left in the tray.
    pub fn sheets(&self) -> u32 {
        self.state().sheets
    }

    /// Refills the tray.
    pub fn load(&self, sheets: u32) {
        self.state().sheets = sheets;
    }

    /// Opens or closes the cover.
    pub fn set_cover_open(&self, open: bool) {
        self.state().cover_open = open;
    }

    /// Jams the paper or clears the jam.
    pub fn set_jammed(&self, jammed: bool) {
        self.state().jammed = jammed;
    }

    /// Toner runs low or is replaced.
    pub fn set_toner_low(&self, low: bool) {
        self.state().toner_low = low;
    }

    /// Whether the cover is open.
    pub fn cover_open(&self) -> bool {
        self.state().cover_open
    }

    /// Whether the paper is jammed.
    pub fn jammed(&self) -> bool {
        self.state().jammed
    }

    /// Whether the toner is low.
    pub fn toner_low(&self) -> bool {
        self.state().toner_low
    }

    /// The PNG files of every page printed so far.
    pub fn printed(&self) -> Vec<PathBuf> {
        self.state().printed.clone()
    }

    /// The page counter.
    pub fn pagecount(&self) -> u64 {
        self.state().pagecount
    }
}

impl Drop for LaserSim {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn accept(listener: TcpListener, state: &Arc<Mutex<State>>, stop: &Arc<AtomicBool>) {
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let state = state.clone();
                let stop = stop.clone();
                let _ = std::thread::Builder::new()
                    .name("sim-a4-connection".into())
                    .spawn(move || serve(stream, &state, &stop));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

fn serve(mut stream: TcpStream, state: &Mutex<State>, stop: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let mut in_pcl = false;
    let mut ustatus = false;
    let mut last_code = lock(state).code().0;
    while !stop.load(Ordering::SeqCst) {
        match stream.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return,
        }
        loop {
            if in_pcl {
                let Some(end) = find(&buf, UEL) else { break };
                let pcl: Vec<u8> = buf.drain(..end).collect();
                in_pcl = false;
                print(&pcl, state);
                continue;
            }
            if buf.starts_with(UEL) {
                buf.drain(..UEL.len());
                continue;
            }
            let Some(eol) = buf.iter().position(|b| *b == b'\n') else {
                break;
            };
            let line: Vec<u8> = buf.drain(..=eol).collect();
            let line = String::from_utf8_lossy(&line).trim().to_owned();
            let reply = match line.as_str() {
                "@PJL INFO STATUS" => Some(status_reply("@PJL INFO STATUS", &lock(state))),
                "@PJL INFO PAGECOUNT" => Some(format!(
                    "@PJL INFO PAGECOUNT\r\nPAGECOUNT={}\r\n\x0c",
                    lock(state).pagecount
                )),
                "@PJL USTATUS DEVICE=ON" => {
                    // Report the current state at once, then every change.
                    ustatus = true;
                    let guard = lock(state);
                    last_code = guard.code().0;
                    Some(status_reply("@PJL USTATUS DEVICE", &guard))
                }
                l if l.starts_with("@PJL ENTER LANGUAGE=PCL") => {
                    in_pcl = true;
                    None
                }
                _ => None,
            };
            if let Some(reply) = reply
                && stream.write_all(reply.as_bytes()).is_err()
            {
                return;
            }
        }
        if ustatus {
            let guard = lock(state);
            let code = guard.code().0;
            if code != last_code {
                last_code = code;
                let reply = status_reply("@PJL USTATUS DEVICE", &guard);
                drop(guard);
                if stream.write_all(reply.as_bytes()).is_err() {
                    return;
                }
            }
        }
    }
}

fn status_reply(header: &str, state: &State) -> String {
    let (code, display, online) = state.code();
    format!(
        "{header}\r\nCODE={code}\r\nDISPLAY=\"{display}\"\r\nONLINE={}\r\n\x0c",
        if online { "TRUE" } else { "FALSE" }
    )
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn print(pcl: &[u8], state: &Mutex<State>) {
    let pages = match PageDecoder::new().decode(pcl) {
        Ok(pages) => pages,
        Err(error) => {
            tracing::warn!(%error, "simulated printer: bad PCL");
            return;
        }
    };
    for page in pages {
        let mut s = lock(state);
        if !s.can_print() {
            // The rest of the job is lost, as on a real printer that stops.
            return;
        }
        s.sheets -= 1;
        s.pagecount += 1;
        let path = s.out_dir.join(format!("page-{:04}.png", s.pagecount));
        drop(s);
        if let Err(error) = write_png(&page, &path) {
            tracing::warn!(%error, "simulated printer: cannot write the page");
        }
        lock(state).printed.push(path);
    }
}

/// Writes a 1-bit page as a grayscale PNG (black on white).
pub fn write_png(page: &Bitmap, path: &Path) -> std::io::Result<()> {
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut encoder = png::Encoder::new(file, page.width as u32, page.height as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
    // PNG grayscale: 1 is white, so invert.
    let data: Vec<u8> = page.data.iter().map(|b| !b).collect();
    writer
        .write_image_data(&data)
        .map_err(std::io::Error::other)?;
    Ok(())
}
