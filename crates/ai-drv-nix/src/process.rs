//! Running a child process the way Nix needs to be run: in its own process group (so a timeout
//! kills Nix and every builder it started), stdin closed, stdout captured whole (it carries data),
//! stderr captured as a bounded, ANSI-free log and optionally streamed line by line.

use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::BoundedLog;

/// How to run one command.
#[derive(Default)]
pub struct RunOptions<'a> {
    /// Wall-clock limit; when it passes the whole process group is killed.
    pub timeout: Option<Duration>,
    /// Where stderr goes.
    pub log: BoundedLog,
    /// Called with each stderr line (ANSI-stripped) as it arrives, e.g. to show progress.
    pub on_line: Option<&'a mut dyn FnMut(&str)>,
}

/// What a finished (or killed) command left behind.
#[derive(Debug)]
pub struct Run {
    /// `None` when the process was killed by a signal (including our timeout).
    pub exit_code: Option<i32>,
    pub stdout: Vec<u8>,
    pub log: BoundedLog,
    pub timed_out: bool,
    pub duration: Duration,
}

impl Run {
    pub fn success(&self) -> bool {
        self.exit_code == Some(0) && !self.timed_out
    }

    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// How long to keep reading after the main process exited, for output still in the pipes.
const DRAIN_GRACE: Duration = Duration::from_secs(2);

/// Runs `command` to completion (or its timeout). Fails only when it cannot be started.
pub fn run(mut command: Command, mut options: RunOptions<'_>) -> io::Result<Run> {
    let started = Instant::now();
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let mut child = command.spawn()?;
    let pid = child.id();

    let mut stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    let stdout_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stderr);
        let mut line = Vec::new();
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if line.last() == Some(&b'\n') {
                        line.pop();
                    }
                    if tx.send(line.clone()).is_err() {
                        break;
                    }
                }
            }
        }
    });

    let deadline = options.timeout.map(|t| started + t);
    let mut status: Option<ExitStatus> = None;
    let mut timed_out = false;
    let mut exited_at: Option<Instant> = None;
    let take_line = |raw: Vec<u8>, options: &mut RunOptions<'_>| {
        options.log.push(&raw);
        if let Some(cb) = options.on_line.as_mut() {
            let text = String::from_utf8_lossy(&strip_ansi_escapes::strip(&raw)).into_owned();
            cb(&text);
        }
    };
    let mut stderr_done = false;
    loop {
        if !stderr_done {
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(raw) => take_line(raw, &mut options),
                Err(mpsc::RecvTimeoutError::Disconnected) => stderr_done = true,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
        } else if status.is_none() {
            std::thread::sleep(Duration::from_millis(50));
        }
        if status.is_none() {
            if let Some(s) = child.try_wait()? {
                status = Some(s);
                exited_at = Some(Instant::now());
            } else if deadline.is_some_and(|d| Instant::now() >= d) {
                timed_out = true;
                kill_group(pid);
                status = Some(child.wait()?);
                exited_at = Some(Instant::now());
            }
        }
        if let Some(exited) = exited_at {
            if stderr_done {
                break;
            }
            // Something left in the group holds the pipe open: give it a moment, then end it.
            if exited.elapsed() > DRAIN_GRACE {
                kill_group(pid);
                while let Ok(raw) = rx.try_recv() {
                    take_line(raw, &mut options);
                }
                break;
            }
        }
    }
    // A grandchild may still hold stdout open after Nix exited; don't wait for it forever.
    let stdout = join_with_grace(stdout_reader);
    let status = status.expect("loop exits only after the child was reaped");
    Ok(Run {
        exit_code: status.code(),
        stdout,
        log: options.log,
        timed_out,
        duration: started.elapsed(),
    })
}

fn join_with_grace(handle: std::thread::JoinHandle<Vec<u8>>) -> Vec<u8> {
    let until = Instant::now() + DRAIN_GRACE;
    while !handle.is_finished() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    if handle.is_finished() {
        handle.join().unwrap_or_default()
    } else {
        Vec::new()
    }
}

fn kill_group(pid: u32) {
    if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
        // ESRCH (already gone) is fine.
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut c = Command::new("/bin/sh");
        c.args(["-c", script]);
        c
    }

    #[test]
    fn captures_stdout_and_stderr_separately() {
        let r = run(sh("echo out; echo err >&2; exit 3"), RunOptions::default()).unwrap();
        assert_eq!(r.stdout_text(), "out\n");
        assert_eq!(r.log.lines(), ["err"]);
        assert_eq!(r.exit_code, Some(3));
        assert!(!r.success());
    }

    #[test]
    fn timeout_kills_the_whole_group() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("grandchild-survived");
        // The grandchild would write the marker after 3 s unless killed with its group.
        let script = format!(
            "(sleep 3; touch {}) & echo started >&2; sleep 30",
            marker.display()
        );
        let r = run(
            sh(&script),
            RunOptions {
                timeout: Some(Duration::from_millis(500)),
                ..RunOptions::default()
            },
        )
        .unwrap();
        assert!(r.timed_out);
        assert_eq!(r.exit_code, None);
        assert!(r.duration < Duration::from_secs(5), "{:?}", r.duration);
        assert_eq!(r.log.lines(), ["started"]);
        std::thread::sleep(Duration::from_secs(4));
        assert!(
            !marker.exists(),
            "a process of the group outlived the timeout"
        );
    }

    #[test]
    fn streams_lines_as_they_come() {
        let mut seen = Vec::new();
        let mut cb = |l: &str| seen.push(l.to_string());
        let r = run(
            sh("printf '\\033[1mone\\033[0m\\ntwo\\n' >&2"),
            RunOptions {
                on_line: Some(&mut cb),
                ..RunOptions::default()
            },
        )
        .unwrap();
        assert!(r.success());
        assert_eq!(seen, ["one", "two"]);
    }

    #[test]
    fn background_child_holding_the_pipe_does_not_hang_us() {
        let started = Instant::now();
        let r = run(sh("sleep 20 & echo done >&2"), RunOptions::default()).unwrap();
        assert!(r.success());
        assert!(started.elapsed() < Duration::from_secs(8));
    }
}
