//! Where the ESC/POS bytes go: a network printer (`host:9100`, the raw port
//! every network receipt printer opens) or a USB printer's device file
//! (`/dev/usb/lpN`). Every wait is bounded, and each failure names its cause.

use std::path::PathBuf;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::STATUS_PAPER;

/// The most a print may take, connect to last byte: a counter never waits
/// on a printer for longer.
pub const PRINT_TIMEOUT: Duration = Duration::from_secs(4);
/// How long a network printer has to answer the paper question.
const STATUS_TIMEOUT: Duration = Duration::from_millis(1500);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterAddress {
    Network { host: String, port: u16 },
    Usb(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    #[error("`{0}` is not a printer address: use host:port (a network printer, usually port 9100) or /dev/usb/lpN (a USB printer)")]
    BadAddress(String),
    #[error("the printer at {0} cannot be reached (is it switched on and on this network?)")]
    Unreachable(String),
    #[error("the printer at {0} did not answer within {1} s")]
    TimedOut(String, u64),
    #[error("the printer at {0} closed the connection before the receipt was sent")]
    Closed(String),
    #[error("the printer at {0} is out of paper")]
    OutOfPaper(String),
    #[error("no printer is connected at {0}")]
    NoDevice(String),
    #[error("this user may not write to {0}: add it to the `lp` group")]
    NoPermission(String),
    #[error("the printer at {0} refused the receipt ({1})")]
    Device(String, String),
}

impl PrintError {
    /// A stable name for the UI's catalogs (`print.<kind>`).
    pub fn kind(&self) -> &'static str {
        match self {
            PrintError::BadAddress(_) => "bad_address",
            PrintError::Unreachable(_) => "unreachable",
            PrintError::TimedOut(..) => "timed_out",
            PrintError::Closed(_) => "closed",
            PrintError::OutOfPaper(_) => "out_of_paper",
            PrintError::NoDevice(_) => "no_device",
            PrintError::NoPermission(_) => "no_permission",
            PrintError::Device(..) => "device",
        }
    }

    /// The printer it is about, as the shop typed it.
    pub fn printer(&self) -> &str {
        match self {
            PrintError::BadAddress(at)
            | PrintError::Unreachable(at)
            | PrintError::TimedOut(at, _)
            | PrintError::Closed(at)
            | PrintError::OutOfPaper(at)
            | PrintError::NoDevice(at)
            | PrintError::NoPermission(at)
            | PrintError::Device(at, _) => at,
        }
    }
}

impl std::str::FromStr for PrinterAddress {
    type Err = PrintError;

    fn from_str(text: &str) -> Result<Self, PrintError> {
        let text = text.trim();
        let bad = || PrintError::BadAddress(text.chars().take(80).collect());
        if let Some(n) = text.strip_prefix("/dev/usb/lp") {
            return if !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit()) {
                Ok(Self::Usb(text.into()))
            } else {
                Err(bad())
            };
        }
        let (host, port) = match text.rsplit_once(':') {
            Some((host, port)) => (host, port.parse::<u16>().map_err(|_| bad())?),
            None => (text, 9100),
        };
        let host_ok = !host.is_empty() && host.len() <= 253 && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
        if !host_ok || port == 0 {
            return Err(bad());
        }
        Ok(Self::Network { host: host.into(), port })
    }
}

impl std::fmt::Display for PrinterAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrinterAddress::Network { host, port } => write!(f, "{host}:{port}"),
            PrinterAddress::Usb(path) => write!(f, "{}", path.display()),
        }
    }
}

impl PrinterAddress {
    /// Sends one job, all of it or a named failure, within `PRINT_TIMEOUT`.
    pub async fn send(&self, job: &[u8]) -> Result<(), PrintError> {
        let at = self.to_string();
        let timed_out = || PrintError::TimedOut(at.clone(), PRINT_TIMEOUT.as_secs());
        match self {
            PrinterAddress::Network { host, port } => {
                tokio::time::timeout(PRINT_TIMEOUT, send_network(host, *port, job, &at)).await.map_err(|_| timed_out())?
            }
            PrinterAddress::Usb(path) => {
                let (path, job, device) = (path.clone(), job.to_vec(), at.clone());
                let write = tokio::task::spawn_blocking(move || write_device(&path, &job, &device));
                tokio::time::timeout(PRINT_TIMEOUT, write)
                    .await
                    .map_err(|_| timed_out())?
                    .map_err(|e| PrintError::Device(at, e.to_string()))?
            }
        }
    }
}

/// Asks the paper question first: a printer that answers is alive and says
/// whether it has paper; one that never answers would swallow the receipt
/// into a socket buffer and print nothing, so it is a failure, not a success.
async fn send_network(host: &str, port: u16, job: &[u8], at: &str) -> Result<(), PrintError> {
    let mut stream = tokio::net::TcpStream::connect((host, port)).await.map_err(|_| PrintError::Unreachable(at.into()))?;
    let closed = || PrintError::Closed(at.into());
    stream.write_all(&STATUS_PAPER).await.map_err(|_| closed())?;
    let mut status = [0u8; 1];
    match tokio::time::timeout(STATUS_TIMEOUT, stream.read(&mut status)).await {
        Err(_) => return Err(PrintError::TimedOut(at.into(), STATUS_TIMEOUT.as_secs_f32().ceil() as u64)),
        Ok(Ok(0)) | Ok(Err(_)) => return Err(closed()),
        Ok(Ok(_)) if status[0] & 0x60 == 0x60 => return Err(PrintError::OutOfPaper(at.into())),
        Ok(Ok(_)) => {}
    }
    stream.write_all(job).await.map_err(|_| closed())?;
    stream.flush().await.map_err(|_| closed())?;
    stream.shutdown().await.map_err(|_| closed())?;
    Ok(())
}

fn write_device(path: &std::path::Path, job: &[u8], at: &str) -> Result<(), PrintError> {
    use std::io::Write;
    let mut device = std::fs::OpenOptions::new().write(true).open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => PrintError::NoDevice(at.into()),
        std::io::ErrorKind::PermissionDenied => PrintError::NoPermission(at.into()),
        _ => PrintError::Device(at.into(), e.to_string()),
    })?;
    device.write_all(job).and_then(|()| device.flush()).map_err(|e| PrintError::Device(at.into(), e.to_string()))
}
