//! `meridian serve` as a child process for tests: started on a free port over
//! a book folder, its output collected, killed when dropped; plain HTTP GETs
//! and a Server-Sent Events reader.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The running server; killed when dropped, whatever the test's outcome.
pub struct Server {
    child: Child,
    pub port: u16,
    /// Lines the server printed (stdout and stderr), for failure messages.
    output: Receiver<String>,
    log: Vec<String>,
    timeout: Duration,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Serves `root` without the playground.
    pub fn start(root: &Path) -> Server {
        Server::launch(root, &["--no-playground"], None, TIMEOUT)
    }

    /// Serves `root` with the playground built from the Meridian source tree
    /// at `source_dir`; builds and events may take up to `timeout`.
    pub fn start_with_playground(root: &Path, source_dir: &Path, timeout: Duration) -> Server {
        Server::launch(root, &[], Some(source_dir), timeout)
    }

    fn launch(root: &Path, args: &[&str], source_dir: Option<&Path>, timeout: Duration) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_meridian"));
        if let Some(dir) = source_dir {
            cmd.env("MERIDIAN_SOURCE_DIR", dir);
        }
        let mut child = cmd
            .arg("serve")
            .args(args)
            .args(["--port", "0", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("meridian serve starts");
        let (tx, output) = channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx2.send(line);
            }
        });
        let mut server = Server {
            child,
            port: 0,
            output,
            log: Vec::new(),
            timeout,
        };
        let line = server.wait_for_line("Serving ");
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        server.port = port;
        server
    }

    pub fn wait_for_line(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + self.timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(line) => {
                    self.log.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no line with {needle:?} from meridian serve; it printed:\n{}",
                    self.log.join("\n")
                ),
            }
        }
    }

    /// (status, body) of a GET.
    pub fn get(&self, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).expect("a response");
        let (head, body) = text.split_once("\r\n\r\n").expect("headers");
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap();
        (status, body.to_string())
    }

    pub fn head_of(&self, path: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            s,
            "HEAD {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        text
    }

    pub fn events(&self, path: &str) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(s);
            let mut name = String::new();
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                let l = line.trim_end().to_string();
                line.clear();
                if let Some(n) = l.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = l.strip_prefix("data: ")
                    && tx.send((name.clone(), d.to_string())).is_err()
                {
                    break;
                }
            }
        });
        let mut events = Events {
            rx,
            timeout: self.timeout,
        };
        events.next_named("hello");
        events
    }
}

pub struct Events {
    rx: Receiver<(String, String)>,
    timeout: Duration,
}

impl Events {
    /// The data of the next event called `name` (others are skipped).
    pub fn next_named(&mut self, name: &str) -> String {
        let deadline = Instant::now() + self.timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((n, data)) if n == name => return data,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no `{name}` event in {:?}", self.timeout)
                }
                Err(RecvTimeoutError::Disconnected) => panic!("the event stream closed"),
            }
        }
    }

    /// The next event of any name.
    pub fn next(&mut self) -> (String, String) {
        self.rx.recv_timeout(self.timeout).expect("an event")
    }
}
