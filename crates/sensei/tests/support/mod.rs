//! What the live tests share: the moto endpoint, an isolated `sensei audit` command, and the raw
//! HTTP pieces their small proxies use.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::Read as _;
use std::net::{TcpListener, TcpStream};

/// The moto endpoint, or `None` (with a note) when the tests are to be skipped; under `CI=true`
/// a missing endpoint fails the test.
pub fn endpoint() -> Option<String> {
    match std::env::var("SENSEI_MOTO_ENDPOINT") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("SENSEI_MOTO_ENDPOINT is not set: .ci/run starts moto and sets it")
        }
        _ => {
            eprintln!("note: SENSEI_MOTO_ENDPOINT is not set; skipping this live audit test (see .ci/run)");
            None
        }
    }
}

/// `sensei audit` with static test credentials and nothing of the machine's AWS set-up: every
/// `AWS_*` variable removed, instance metadata off, and the config and credentials files pointed at
/// an empty file, which the caller keeps until the run ends.
pub fn sensei_audit() -> (assert_cmd::Command, tempfile::NamedTempFile) {
    let empty = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("sensei").unwrap();
    for (key, _) in std::env::vars() {
        if key.starts_with("AWS_") {
            cmd.env_remove(&key);
        }
    }
    cmd.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", empty.path())
        .env("AWS_SHARED_CREDENTIALS_FILE", empty.path())
        .arg("audit");
    (cmd, empty)
}

/// A request read from `stream` (headers and a `Content-Length` body), with `Connection: close`.
pub fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let header_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..header_end]).to_string();
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0))
        })
        .unwrap_or(0);
    while data.len() < header_end + length {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
    }
    let mut lines: Vec<&str> =
        head.trim_end().split("\r\n").filter(|l| !l.to_ascii_lowercase().starts_with("connection:")).collect();
    lines.push("Connection: close");
    let mut out = (lines.join("\r\n") + "\r\n\r\n").into_bytes();
    out.extend_from_slice(&data[header_end..]);
    Some(out)
}

/// The response with `Connection: close`, so the client does not reuse the connection.
pub fn with_connection_close(response: &[u8]) -> Vec<u8> {
    let Some(at) = response.windows(4).position(|w| w == b"\r\n\r\n") else { return response.to_vec() };
    let head = String::from_utf8_lossy(&response[..at]).to_string();
    let mut lines: Vec<&str> =
        head.split("\r\n").filter(|l| !l.to_ascii_lowercase().starts_with("connection:")).collect();
    lines.push("Connection: close");
    let mut out = lines.join("\r\n").into_bytes();
    out.extend_from_slice(&response[at..]);
    out
}

/// A loopback port nothing listens on (the listener is closed when this returns).
pub fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
