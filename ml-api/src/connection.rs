//! A deadline for every request head on a connection, not only its first.
//!
//! actix-http times the head of a connection's first request
//! (`client_request_timeout`) and then clears that timer for good: a
//! keep-alive client that sends one quick request and then drips the next
//! head a byte a second holds its connection forever, since each byte also
//! clears the keep-alive timer. No setting of actix-web 4 changes that
//! (actix-http 3.20, `h1/dispatcher.rs`: "head timer only applies to first
//! request on connection"), so the server wraps each accepted socket in
//! [`Guarded`], which watches the bytes going in:
//!
//! - between requests the connection is *idle*; the first byte that then
//!   arrives starts a head, which must be complete `CLIENT_REQUEST_TIMEOUT`
//!   later;
//! - the head is complete when the request reaches the app: [`track`]
//!   (a middleware) marks the connection *in a request* until the
//!   response body has been written out and dropped;
//! - then the connection is idle again, with one more bound: the next head
//!   must be in within `KEEP_ALIVE` + `CLIENT_REQUEST_TIMEOUT`, which also
//!   covers bytes of a next head that arrived (pipelined) during the
//!   request. actix closes a connection idle for `KEEP_ALIVE` before that.
//!
//! Past a deadline the next read fails with `TimedOut` and actix drops the
//! connection. The first head of a connection is still answered by
//! actix's own timer (408, empty body); later ones are closed without an
//! answer, as there is no request yet to answer.

use std::cell::Cell;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_codec::{AsyncRead, AsyncWrite, ReadBuf};
use actix_web::rt::time::{Instant, Sleep, sleep_until};

mod track;

pub use track::track;

/// Where a connection is between two requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// No byte of a next head yet; `until` bounds the wait when bytes may
    /// already be buffered (after a request).
    Idle { until: Option<Instant> },
    /// Bytes of a head have arrived; the head must be in by `until`.
    Head { until: Instant },
    /// A request is being served.
    Request,
}

/// The two timeouts a head is held to.
#[derive(Debug, Clone, Copy)]
pub struct HeadTimeouts {
    /// `CLIENT_REQUEST_TIMEOUT`: from a head's first byte to its end.
    pub head: Duration,
    /// `KEEP_ALIVE`: how long a connection may idle between requests.
    pub idle: Duration,
}

/// The phase of one connection, shared by its socket ([`Guarded`]) and
/// its requests (through the connection data, see [`track`]). A
/// connection lives on one worker thread, so an `Rc<Cell>` will do.
#[derive(Debug, Clone)]
pub struct HeadClock {
    phase: Rc<Cell<Phase>>,
    timeouts: HeadTimeouts,
}

impl HeadClock {
    pub fn new(timeouts: HeadTimeouts) -> HeadClock {
        HeadClock {
            phase: Rc::new(Cell::new(Phase::Idle { until: None })),
            timeouts,
        }
    }

    /// The instant by which the connection must have made progress.
    fn deadline(&self) -> Option<Instant> {
        match self.phase.get() {
            Phase::Idle { until } => until,
            Phase::Head { until } => Some(until),
            Phase::Request => None,
        }
    }

    /// Bytes came in at `now`: if the connection was idle, a head starts.
    fn bytes_arrived(&self, now: Instant) {
        if let Phase::Idle { until } = self.phase.get() {
            let head = now + self.timeouts.head;
            let until = until.map_or(head, |u| u.min(head));
            self.phase.set(Phase::Head { until });
        }
    }

    /// A request's head is in; no deadline while it is served.
    pub fn request_started(&self) {
        self.phase.set(Phase::Request);
    }

    /// A request's response is written; the connection is idle again.
    pub fn request_finished(&self) {
        let until = Instant::now() + self.timeouts.idle + self.timeouts.head;
        self.phase.set(Phase::Idle { until: Some(until) });
    }
}

/// A socket that fails its reads once its [`HeadClock`] deadline passes.
pub struct Guarded<T> {
    io: T,
    clock: HeadClock,
    /// Wakes the connection's task at the deadline, so a client that sends
    /// nothing more is cut off too. Allocated once per connection, at the
    /// first deadline.
    timer: Option<Pin<Box<Sleep>>>,
}

impl<T> Guarded<T> {
    pub fn new(io: T, clock: HeadClock) -> Guarded<T> {
        Guarded {
            io,
            clock,
            timer: None,
        }
    }

    pub fn clock(&self) -> &HeadClock {
        &self.clock
    }

    /// Whether the deadline has passed; otherwise arranges to be woken by
    /// it.
    ///
    /// The deadline moves on with every request, but the timer is only
    /// reset when it would wake too late (or has fired): one that wakes
    /// early finds the deadline ahead and is reset then. That is one timer
    /// reset per `CLIENT_REQUEST_TIMEOUT` on a busy connection instead of
    /// two per request.
    fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(deadline) = self.clock.deadline() else {
            return false;
        };
        if Instant::now() >= deadline {
            return true;
        }
        let timer = self
            .timer
            .get_or_insert_with(|| Box::pin(sleep_until(deadline)));
        if timer.deadline() > deadline || timer.is_elapsed() {
            timer.as_mut().reset(deadline);
        }
        // Registers this task's waker; the answer is the clock's, above.
        let _ = timer.as_mut().poll(cx);
        false
    }
}

fn timed_out() -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        "a request head did not arrive within CLIENT_REQUEST_TIMEOUT",
    )
}

impl<T: AsyncRead + Unpin> AsyncRead for Guarded<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.expired(cx) {
            return Poll::Ready(Err(timed_out()));
        }
        let before = buf.filled().len();
        let read = Pin::new(&mut this.io).poll_read(cx, buf);
        if matches!(read, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.clock.bytes_arrived(Instant::now());
            // Registers the wake-up at the head's deadline; when it has
            // passed already, the next read (actix reads until Pending)
            // fails.
            let _ = this.expired(cx);
        }
        read
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Guarded<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMEOUTS: HeadTimeouts = HeadTimeouts {
        head: Duration::from_secs(5),
        idle: Duration::from_secs(3),
    };

    #[actix_web::test]
    async fn a_head_is_timed_from_its_first_byte_and_not_while_a_request_is_served() {
        let clock = HeadClock::new(TIMEOUTS);
        assert_eq!(clock.deadline(), None);
        let now = Instant::now();
        clock.bytes_arrived(now);
        assert_eq!(clock.deadline(), Some(now + TIMEOUTS.head));
        clock.bytes_arrived(now + Duration::from_secs(1));
        assert_eq!(clock.deadline(), Some(now + TIMEOUTS.head), "not moved");
        clock.request_started();
        assert_eq!(clock.deadline(), None);
    }

    #[actix_web::test]
    async fn after_a_request_the_next_head_has_keep_alive_plus_the_head_timeout_at_most() {
        let clock = HeadClock::new(TIMEOUTS);
        clock.request_started();
        clock.request_finished();
        let outer = clock.deadline().unwrap();
        assert!(outer > Instant::now() + Duration::from_secs(7));
        // A head that starts late keeps the outer bound.
        clock.bytes_arrived(outer - Duration::from_secs(1));
        assert_eq!(clock.deadline(), Some(outer));
    }
}
