use std::time::Instant;
fn main() {
    let stored = std::fs::read("/tmp/sdkw/homes/many/.axway/axway-cli/.tokenstore.v2").unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        let text = std::str::from_utf8(&stored).unwrap();
        let bytes = hex::decode(text.trim()).unwrap();
        let t1 = t.elapsed();
        let plain =
            axway_auth::store::codec::decrypt(&axway_auth::store::codec::FILE_STORE_KEY, &stored)
                .unwrap();
        let t2 = t.elapsed();
        println!(
            "hex {:?} decrypt(total) {:?} {} {}",
            t1,
            t2 - t1,
            bytes.len(),
            plain.len()
        );
    }
    println!("aes detected: {}", std::is_x86_feature_detected!("aes"));
}
