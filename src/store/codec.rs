//! The reference's token store encoding (spec 5.2): lowercase hex of AES-128-CBC (zero IV,
//! PKCS#7) over the compact JSON array of account records, plus the flattened "v1" mirror.

use std::io::Read;

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use serde_json::{Map, Value};

use crate::account::Account;

type Encryptor = cbc::Encryptor<aes::Aes128>;
type Decryptor = cbc::Decryptor<aes::Aes128>;

/// The file store's fixed key: the 16 ASCII bytes `d4be0906bc9fae40`.
pub const FILE_STORE_KEY: [u8; 16] = *b"d4be0906bc9fae40";
const IV: [u8; 16] = [0; 16];

/// Why a store file could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("not hex-encoded")]
    NotHex,
    #[error("cannot be decrypted with this key")]
    Decrypt,
    #[error("not a JSON array of accounts: {0}")]
    Json(String),
    #[error("larger than {} MiB", .0 / (1024 * 1024))]
    TooLarge(u64),
    #[error("{0}")]
    Io(#[source] std::io::Error),
}

/// Encrypts plaintext bytes to the stored hex form.
pub fn encrypt(key: &[u8; 16], plaintext: &[u8]) -> String {
    let cipher = Encryptor::new(key.into(), &IV.into());
    hex::encode(cipher.encrypt_padded_vec_mut::<Pkcs7>(plaintext))
}

/// Decrypts the stored hex form to plaintext bytes.
pub fn decrypt(key: &[u8; 16], stored: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let mut bytes = read_hex(stored, stored.len() / 2)?;
    decrypt_in_place(key, &mut bytes)?;
    Ok(bytes)
}

/// Decrypts the ciphertext (hex already decoded) in place to plaintext bytes.
pub fn decrypt_in_place(key: &[u8; 16], bytes: &mut Vec<u8>) -> Result<(), DecodeError> {
    let cipher = Decryptor::new(key.into(), &IV.into());
    let len = cipher
        .decrypt_padded_mut::<Pkcs7>(bytes)
        .map_err(|_| DecodeError::Decrypt)?
        .len();
    bytes.truncate(len);
    Ok(())
}

/// Reads hex text (either case, blanks around it allowed) from `source` into the bytes it
/// encodes, a chunk at a time with SIMD where the CPU has it (`faster-hex`): a large store is
/// decoded without holding its text, which more than halves the time of reading it.
/// `capacity`: the expected number of bytes.
pub fn read_hex(mut source: impl Read, capacity: usize) -> Result<Vec<u8>, DecodeError> {
    const CHUNK: usize = 64 * 1024;
    let mut out = Vec::with_capacity(capacity);
    let mut chunk = vec![0u8; CHUNK];
    // `carry`: an odd digit left at the chunk's start; `leading`: only blanks read so far;
    // `trailing`: the digits have ended, only blanks may follow.
    let (mut carry, mut leading, mut trailing) = (0, true, false);
    loop {
        let read = match source.read(&mut chunk[carry..]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(DecodeError::Io(e)),
        };
        let filled = carry + read;
        let text = &chunk[..filled];
        let mut start = 0;
        if leading {
            start = text.len() - text.trim_ascii_start().len();
            leading = start == text.len();
        }
        let text = &text[start..];
        if trailing || leading {
            carry = 0;
            match text.iter().all(u8::is_ascii_whitespace) {
                true => continue,
                false => return Err(DecodeError::NotHex),
            }
        }
        let even = text.len() & !1;
        carry = text.len() - even;
        if append_hex(&mut out, &text[..even]).is_err() {
            // a blank ends the digits, and only blanks may follow
            let end = text
                .iter()
                .position(|b| !b.is_ascii_hexdigit())
                .unwrap_or(text.len());
            let rest_blank = text[end..].iter().all(u8::is_ascii_whitespace);
            if !end.is_multiple_of(2) || !rest_blank || append_hex(&mut out, &text[..end]).is_err()
            {
                return Err(DecodeError::NotHex);
            }
            (carry, trailing) = (0, true);
        }
        if carry == 1 {
            match chunk[filled - 1] {
                blank if blank.is_ascii_whitespace() => (carry, trailing) = (0, true),
                digit => chunk[0] = digit,
            }
        }
    }
    match carry {
        0 => Ok(out),
        _ => Err(DecodeError::NotHex),
    }
}

/// Decodes hex digits onto the end of `out`; on failure `out` is left as it was.
fn append_hex(out: &mut Vec<u8>, digits: &[u8]) -> Result<(), ()> {
    let start = out.len();
    out.resize(start + digits.len() / 2, 0);
    faster_hex::hex_decode(digits, &mut out[start..]).map_err(|_| out.truncate(start))
}

/// Decodes a v2 store file into account records.
pub fn decode_accounts(key: &[u8; 16], stored: &[u8]) -> Result<Vec<Account>, DecodeError> {
    parse_accounts(&decrypt(key, stored)?)
}

/// Parses decrypted store text into account records.
pub fn parse_accounts(plain: &[u8]) -> Result<Vec<Account>, DecodeError> {
    serde_json::from_slice(plain).map_err(|e| DecodeError::Json(e.to_string()))
}

/// Encodes account records for the v2 file.
pub fn encode_accounts(key: &[u8; 16], accounts: &[Account]) -> String {
    let json = serde_json::to_vec(accounts).expect("accounts serialize");
    encrypt(key, &json)
}

/// Encodes account records for the v1 mirror: `auth` spread into the top level, `org.id` and
/// `orgs[].id` renamed to `org_id`.
pub fn encode_v1_accounts(key: &[u8; 16], accounts: &[Account]) -> String {
    let records: Vec<Value> = accounts.iter().map(to_v1).collect();
    encrypt(
        key,
        &serde_json::to_vec(&records).expect("accounts serialize"),
    )
}

fn to_v1(account: &Account) -> Value {
    // Mirrors the reference: `{ ...acct, ...acct.auth, org: {...org, org_id}, orgs: [...] }`,
    // then `auth` and `org.id` deleted. Spread keys keep their position; new ones append.
    let Value::Object(record) = serde_json::to_value(account).expect("account serializes") else {
        unreachable!("an account serializes to an object")
    };
    let mut out = Map::new();
    let mut auth = Map::new();
    for (key, value) in record {
        match (key.as_str(), value) {
            ("auth", Value::Object(a)) => auth = a,
            (_, value) => {
                out.insert(key, value);
            }
        }
    }
    out.extend(auth);
    let org = match out.get("org") {
        Some(Value::Object(org)) => with_org_id(org.clone()),
        _ => Map::new(),
    };
    out.insert("org".into(), Value::Object(org));
    let orgs = match out.get("orgs") {
        Some(Value::Array(orgs)) => orgs
            .iter()
            .map(|o| match o {
                Value::Object(o) => Value::Object(with_org_id(o.clone())),
                other => other.clone(),
            })
            .collect(),
        _ => vec![],
    };
    out.insert("orgs".into(), Value::Array(orgs));
    Value::Object(out)
}

fn with_org_id(mut org: Map<String, Value>) -> Map<String, Value> {
    if let Some(id) = org.shift_remove("id") {
        org.insert("org_id".into(), id);
    }
    org
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_test_vectors() {
        assert_eq!(
            encrypt(&FILE_STORE_KEY, b"[]"),
            "7d51224ff24d78f62713b239b3411fbc"
        );
        assert_eq!(
            encrypt(&FILE_STORE_KEY, br#"[{"name":"x"}]"#),
            "97d77765c633c4a6b63011fca2303529"
        );
        assert_eq!(
            decrypt(&FILE_STORE_KEY, b"7d51224ff24d78f62713b239b3411fbc").unwrap(),
            b"[]"
        );
    }

    #[test]
    fn wrong_key_and_garbage_are_errors() {
        let stored = encrypt(&FILE_STORE_KEY, b"[]");
        assert!(matches!(
            decrypt(&[7; 16], stored.as_bytes()),
            Err(DecodeError::Decrypt)
        ));
        assert!(matches!(
            decrypt(&FILE_STORE_KEY, b"zz not hex"),
            Err(DecodeError::NotHex)
        ));
    }

    fn decode_hex(text: &[u8]) -> Option<Vec<u8>> {
        read_hex(text, 0).ok()
    }

    #[test]
    fn hex_decoding_takes_either_case_and_rejects_the_rest() {
        assert_eq!(decode_hex(b"00ff7dA0"), Some(vec![0, 0xff, 0x7d, 0xa0]));
        assert_eq!(decode_hex(b""), Some(vec![]));
        assert_eq!(decode_hex(b" \n\t"), Some(vec![]));
        for bad in [
            &b"0"[..],
            b"0g",
            b"g0",
            b"0 ",
            b"\xff0",
            b"00 11",
            b"00\n1",
            b" 0",
        ] {
            assert_eq!(decode_hex(bad), None, "{bad:?}");
        }
        assert_eq!(
            decrypt(&FILE_STORE_KEY, b" 7D51224FF24D78F62713B239B3411FBC\n").unwrap(),
            b"[]"
        );
    }

    /// A reader that hands out at most `step` bytes a call, to cross every chunk boundary.
    struct Trickle<'a> {
        text: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.text.len());
            buf[..n].copy_from_slice(&self.text[..n]);
            self.text = &self.text[n..];
            Ok(n)
        }
    }

    #[test]
    fn hex_is_decoded_the_same_whatever_the_reads_split() {
        let bytes: Vec<u8> = (0..150_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let text = format!("  \n{}\r\n ", hex::encode_upper(&bytes));
        for step in [1, 2, 3, 5, 4096, 65_535, 65_537, usize::MAX] {
            let source = Trickle {
                text: text.as_bytes(),
                step,
            };
            assert_eq!(read_hex(source, 0).unwrap(), bytes, "step {step}");
        }
        let mut odd = text.clone().into_bytes();
        odd.insert(70_001, b'a');
        let source = Trickle {
            text: &odd,
            step: 3,
        };
        assert!(matches!(read_hex(source, 0), Err(DecodeError::NotHex)));
    }
}
