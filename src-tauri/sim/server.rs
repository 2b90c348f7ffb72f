//! The accept loop. It is hyper's, not `axum::serve`, because a fault must be
//! able to close a connection without answering (or reset it), and only the
//! task that owns the connection can do that.

use std::os::fd::{AsRawFd, BorrowedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::Router;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

/// Put into every request's extensions: lets a fault end this connection.
#[derive(Clone, Default)]
pub struct ConnKill {
    notify: Arc<Notify>,
    reset: Arc<AtomicBool>,
}

impl ConnKill {
    /// Close the connection without an answer (FIN).
    pub fn close(&self) {
        self.notify.notify_one();
    }

    /// Reset the connection (RST).
    pub fn reset(&self) {
        self.reset.store(true, Ordering::SeqCst);
        self.notify.notify_one();
    }
}

pub async fn serve(listener: TcpListener, router: Router, mut shutdown: watch::Receiver<bool>) {
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    tracing::warn!("simulator accept failed: {e}");
                    continue;
                }
            },
            _ = shutdown.changed() => return,
        };
        let _ = stream.set_nodelay(true);
        let kill = ConnKill::default();
        let fd = stream.as_raw_fd();
        let router = router.clone();
        let request_kill = kill.clone();
        let service = tower::service_fn(move |mut req: axum::extract::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(request_kill.clone());
            router.clone().oneshot(req.map(axum::body::Body::new))
        });
        let mut conn_shutdown = shutdown.clone();
        tokio::spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = kill.notify.notified() => {
                    if kill.reset.load(Ordering::SeqCst) {
                        // SAFETY: `conn` owns the socket and is alive until the
                        // end of this block, so the fd is open while borrowed.
                        let socket = unsafe { BorrowedFd::borrow_raw(fd) };
                        // Linger 0 makes the close below send RST instead of FIN.
                        let _ = socket2::SockRef::from(&socket).set_linger(Some(std::time::Duration::ZERO));
                    }
                    // Dropping the connection closes the socket with no answer.
                }
                _ = conn_shutdown.changed() => {}
            }
        });
    }
}
