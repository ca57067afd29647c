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

fn decrypt_in_place(key: &[u8; 16], bytes: &mut Vec<u8>) -> Result<(), DecodeError> {
    let cipher = Decryptor::new(key.into(), &IV.into());
    let len = cipher
        .decrypt_padded_mut::<Pkcs7>(bytes)
        .map_err(|_| DecodeError::Decrypt)?
        .len();
    bytes.truncate(len);
    Ok(())
}

/// Hex (either case) to bytes, with SIMD where the CPU has it (`faster-hex`): decoding is most
/// of a large store's read time.
fn decode_hex(text: &[u8]) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let mut out = vec![0; text.len() / 2];
    faster_hex::hex_decode(text, &mut out).ok()?;
    Some(out)
}

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
    }
}
