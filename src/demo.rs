//! Demo mode: what a newcomer needs to try the terminal on one machine. The
//! simulated reader (started by `main`) carries the sample cards of
//! `tongban_sim::identities`; this fictional resident is used where no
//! reader is simulated (tests). The platform part adds the reference
//! platform here.

use crate::session::{DocumentKind, Identity, IdentitySource};

/// The sample resident of the demo. Fictional: the name reads "demo
/// resident" and the number, though well formed, belongs to nobody.
pub fn sample_identity() -> Identity {
    Identity {
        name: "演示居民".into(),
        number: "310115195001010012".into(),
        kind: DocumentKind::ResidentId,
        source: IdentitySource::IdCard,
        sex: "男".into(),
        birth: "1950-01-01".into(),
        address: "上海市浦东新区演示路1号".into(),
    }
}

/// A fictional portrait for demo licences: a shaded head-and-shoulders
/// silhouette drawn from gradients (no real person), 240 × 320, grayscale.
pub fn sample_photo() -> crate::print::licence::Photo {
    let (w, h) = (240usize, 320usize);
    let mut gray = vec![0u8; w * h];
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as f32, y as f32);
            // Light background, darker towards the bottom.
            let mut v = 235.0 - fy * 0.12;
            // Shoulders: a wide ellipse at the bottom.
            let (sx, sy) = ((fx - 120.0) / 115.0, (fy - 330.0) / 110.0);
            if sx * sx + sy * sy < 1.0 {
                v = 70.0 + 40.0 * (1.0 - (sx * sx + sy * sy)).sqrt() * (fx / 240.0);
            }
            // Head: an ellipse shaded as if lit from the left.
            let (hx, hy) = ((fx - 120.0) / 62.0, (fy - 135.0) / 80.0);
            let r = hx * hx + hy * hy;
            if r < 1.0 {
                v = 200.0 - 90.0 * r - 40.0 * hx;
            }
            // Hair on top.
            if r < 1.05 && fy < 95.0 + 8.0 * (hx * 3.0).sin() {
                v = 45.0;
            }
            gray[y * w + x] = v.clamp(0.0, 255.0) as u8;
        }
    }
    crate::print::licence::Photo { width: w, gray }
}

/// The demo resident's residence permit, as the platform's print ticket
/// would describe it (all fictional).
pub fn sample_licence(purpose: &str, date: &str, time: &str) -> crate::print::licence::LicenceCopy {
    use crate::print::licence::{LicenceCopy, template_for};
    let field = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    LicenceCopy {
        template: template_for("residence"),
        name: String::new(),
        number: "JZZ-3101-2026-000123".into(),
        fields: vec![
            field("holder", "演示居民"),
            field("sex", "女"),
            field("birth", "1950年01月01日"),
            field("address", "上海市浦东新区演示路100弄1号101室（演示地址）"),
            field("valid", "2026年01月01日至2027年01月01日"),
        ],
        photo: Some(sample_photo()),
        issuer: String::new(),
        issued: "2026年01月01日".into(),
        purpose: purpose.into(),
        date: date.into(),
        time: time.into(),
        terminal: "SH-DEMO-0001".into(),
        verify_code: "DEMO-7K3Q-9WX2".into(),
        verify_url: "http://127.0.0.1/verify/DEMO-7K3Q-9WX2".into(),
    }
}

/// A receipt for the demo resident's fictional application.
pub fn sample_receipt(time: &str) -> crate::print::receipt::ReceiptData {
    crate::print::receipt::ReceiptData {
        heading: "一网通办 · 办件回执".into(),
        service: "浦东新区社区事务受理服务中心".into(),
        item: "居住证签注（演示）".into(),
        application: "SH2026112400001".into(),
        time: time.into(),
        terminal: "SH-DEMO-0001".into(),
        masked_name: crate::session::mask_name("演示居民"),
        progress_url: "http://127.0.0.1/progress/SH2026112400001".into(),
        qr_caption: "扫码查看办理进度".into(),
        labels: [
            "受理部门".into(),
            "办理事项".into(),
            "申请编号".into(),
            "提交时间".into(),
            "终端编号".into(),
            "申请人".into(),
        ],
    }
}

/// The reference platform of demo mode: the `tongban-platform` program
/// built beside the kiosk, run as a child process on a free loopback port
/// and stopped with the kiosk.
pub struct ReferencePlatform {
    /// Its base URL.
    pub url: String,
    child: std::process::Child,
}

impl ReferencePlatform {
    /// Starts it with its database in `data_dir` and waits for its address.
    pub fn start(data_dir: &std::path::Path) -> Result<Self, String> {
        use std::io::BufRead;
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let program = exe.with_file_name("tongban-platform");
        if !program.exists() {
            return Err(format!(
                "{} is not built (cargo build -p tongban-platform)",
                program.display()
            ));
        }
        let mut child = std::process::Command::new(&program)
            .args(["--port", "0", "--db"])
            .arg(data_dir.join("reference-platform.db"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", program.display()))?;
        let stdout = child
            .stdout
            .take()
            .ok_or("no output from the reference platform")?;
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        // `reference platform at URL key BASE64`.
        match line
            .trim()
            .strip_prefix("reference platform at ")
            .and_then(|rest| rest.split_whitespace().next())
        {
            Some(url) => Ok(Self {
                url: url.to_owned(),
                child,
            }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!("the reference platform said {line:?}"))
            }
        }
    }
}

impl Drop for ReferencePlatform {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
