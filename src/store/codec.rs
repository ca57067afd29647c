//! The reference's token store encoding (spec 5.2): lowercase hex of AES-128-CBC (zero IV,
//! PKCS#7) over the compact JSON array of account records, plus the flattened "v1" mirror.

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
}

/// Encrypts plaintext bytes to the stored hex form.
pub fn encrypt(key: &[u8; 16], plaintext: &[u8]) -> String {
    let cipher = Encryptor::new(key.into(), &IV.into());
    hex::encode(cipher.encrypt_padded_vec_mut::<Pkcs7>(plaintext))
}

/// Decrypts the stored hex form to plaintext bytes.
pub fn decrypt(key: &[u8; 16], stored: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let mut bytes = decode_hex(stored.trim_ascii()).ok_or(DecodeError::NotHex)?;
    decrypt_in_place(key, &mut bytes)?;
    Ok(bytes)
}

/// Decrypts a store file read into `stored` (hex), reusing its buffer: a large store is
/// decoded and decrypted without another allocation of its size. `stored` holds the plaintext
/// afterwards.
pub fn decrypt_owned(key: &[u8; 16], mut stored: Vec<u8>) -> Result<Vec<u8>, DecodeError> {
    let start = stored.len() - stored.trim_ascii_start().len();
    let end = start + stored[start..].trim_ascii_end().len();
    let hex_len = end - start;
    if !hex_len.is_multiple_of(2) {
        return Err(DecodeError::NotHex);
    }
    // Each output byte i comes from input bytes start+2i and start+2i+1, never before i: the
    // buffer can be overwritten front to back as it is read.
    for i in 0..hex_len / 2 {
        let (high, low) = (
            HEX[stored[start + 2 * i] as usize],
            HEX[stored[start + 2 * i + 1] as usize],
        );
        if (high | low) > 0x0f {
            return Err(DecodeError::NotHex);
        }
        stored[i] = (high << 4) | low;
    }
    stored.truncate(hex_len / 2);
    decrypt_in_place(key, &mut stored)?;
    Ok(stored)
}

fn decrypt_in_place(key: &[u8; 16], bytes: &mut Vec<u8>) -> Result<(), DecodeError> {
    let cipher = Decryptor::new(key.into(), &IV.into());
    let len = cipher
        .decrypt_padded_mut::<Pkcs7>(bytes)
        .map_err(|_| DecodeError::Decrypt)?
        .len();
    bytes.truncate(len);
    Ok(())
}

/// Hex (either case) to bytes through a lookup table: a large store decodes about ten times
/// faster than with the `hex` crate, which is most of a large store's read time.
fn decode_hex(text: &[u8]) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 2);
    for pair in text.chunks_exact(2) {
        let (high, low) = (HEX[pair[0] as usize], HEX[pair[1] as usize]);
        if (high | low) > 0x0f {
            return None;
        }
        out.push((high << 4) | low);
    }
    Some(out)
}

/// Hex digit values; 0xff for anything else.
const HEX: [u8; 256] = {
    let mut table = [0xff; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// Decodes a v2 store file into account records.
pub fn decode_accounts(key: &[u8; 16], stored: &[u8]) -> Result<Vec<Account>, DecodeError> {
    let plain = decrypt(key, stored)?;
    serde_json::from_slice(&plain).map_err(|e| DecodeError::Json(e.to_string()))
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

    #[test]
    fn hex_decoding_takes_either_case_and_rejects_the_rest() {
        assert_eq!(decode_hex(b"00ff7dA0"), Some(vec![0, 0xff, 0x7d, 0xa0]));
        assert_eq!(decode_hex(b""), Some(vec![]));
        for bad in [&b"0"[..], b"0g", b"g0", b"0 ", b"\xff0"] {
            assert_eq!(decode_hex(bad), None, "{bad:?}");
        }
        assert_eq!(
            decrypt(&FILE_STORE_KEY, b" 7D51224FF24D78F62713B239B3411FBC\n").unwrap(),
            b"[]"
        );
        let stored = encrypt(&FILE_STORE_KEY, br#"[{"name":"x"}]"#);
        assert_eq!(
            decrypt_owned(&FILE_STORE_KEY, format!("\n{stored}\n").into_bytes()).unwrap(),
            br#"[{"name":"x"}]"#
        );
        assert!(matches!(
            decrypt_owned(&FILE_STORE_KEY, b"7d5".to_vec()),
            Err(DecodeError::NotHex)
        ));
        assert!(matches!(
            decrypt_owned(&FILE_STORE_KEY, b"zz".to_vec()),
            Err(DecodeError::NotHex)
        ));
    }
}
