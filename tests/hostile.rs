//! Hostile inputs: nothing a user types or pastes may panic the core (in wasm a panic kills the page) or
//! run unbounded. Each case must end with output and leave the terminal usable.

use std::time::Instant;
use stsplay_kubectl::{MemoryFiles, Terminal};

fn files() -> MemoryFiles {
    let mut f = MemoryFiles::default();
    let seed = std::fs::read_to_string(stsplay_tests::scenarios_dir().join("seed-tutorial/stateful-demo-fixed.yaml"))
        .expect("fixture");
    f.0.insert("ok.yaml".into(), seed.clone());
    f.0.insert("huge-replicas.yaml".into(), seed.replace("replicas: 3", "replicas: 2147483647"));
    f.0.insert("negative.yaml".into(), seed.replace("replicas: 3", "replicas: -5"));
    f.0.insert(
        "parallel-huge.yaml".into(),
        seed.replace("replicas: 3", "replicas: 2147483647\n  podManagementPolicy: Parallel"),
    );
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        bomb.push_str(&format!(
            "{}: &{} [*{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}]\n",
            (b'a' + i) as char,
            (b'a' + i) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char
        ));
    }
    f.0.insert("bomb.yaml".into(), bomb);
    f.0.insert("deep.yaml".into(), format!("{}1{}", "[".repeat(50_000), "]".repeat(50_000)));
    f.0.insert("deep-map.yaml".into(), (0..3000).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect());
    f.0.insert("big.yaml".into(), "# filler\n".repeat(1_200_000));
    f.0.insert(
        "binary.yaml".into(),
        String::from_utf8_lossy(&(0u8..=255).cycle().take(5000).collect::<Vec<u8>>()).into_owned(),
    );
    f.0.insert(
        "html.yaml".into(),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: \"<script>alert(1)</script>\"\n  labels:\n    x: \"<img src=x onerror=alert(1)>\"\nspec:\n  ports:\n  - port: 80\n".into(),
    );
    f.0.insert(
        "long-name.yaml".into(),
        seed.replace("name: myapp\nspec:\n  serviceName", &format!("name: {}\nspec:\n  serviceName", "a".repeat(300))),
    );
    f
}

const COMMANDS: &[&str] = &[
    "kubectl apply -f huge-replicas.yaml",
    "kubectl apply -f negative.yaml",
    "kubectl apply -f bomb.yaml",
    "kubectl apply -f deep.yaml",
    "kubectl apply -f deep-map.yaml",
    "kubectl apply -f big.yaml",
    "kubectl apply -f binary.yaml",
    "kubectl apply -f html.yaml",
    "kubectl apply -f long-name.yaml",
    "sim lint bomb.yaml",
    "sim lint deep.yaml",
    "sim lint binary.yaml",
    "kubectl apply -f ok.yaml",
    "kubectl scale sts myapp --replicas=2147483647",
    "kubectl scale sts myapp --replicas=99999999999999999999",
    "kubectl scale sts myapp --replicas=-1",
    "kubectl patch sts myapp -p '{\"spec\":{\"replicas\":2147483648}}'",
    "kubectl patch sts myapp -p '{\"spec\":{\"replicas\":1e309}}'",
    "kubectl patch sts myapp --type json -p '[{\"op\":\"move\",\"from\":\"/spec\",\"path\":\"/spec/x\"}]'",
    "kubectl patch sts myapp -p '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'",
    "kubectl get pods -o jsonpath='{range .items[*]}{range .items[*]}{range .items[*]}{end}{end}{end}'",
    "kubectl get pods -o jsonpath='{..}'",
    "kubectl get pods -o custom-columns=",
    "kubectl get pods -l 'a in (,,,),!!,='",
    "kubectl exec myapp-0 -- sh -c 'while true; do echo x; done'",
    "kubectl exec myapp-0 -- sh -c 'cat /dev/zero'",
    "kubectl exec myapp-0 -- sh -c 'echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo deep)))))))'",
    "kubectl exec myapp-0 -- sh -c 'x=aaaaaaaaaaaaaaaaaaaa; echo $x$x$x$x$x$x$x$x$x$x$x$x$x$x$x$x > /tmp/a; cat /tmp/a /tmp/a /tmp/a'",
    "nslookup ''",
    "nslookup '.....'",
    "curl http://[::1]:99999/",
    "sim run 99999999999h",
    "sim step 99999999999",
    "sim node fail nope",
    "sim pod fail ''",
    "kubectl explain sts.................spec",
    "kubectl describe ''",
    "kubectl get '' ''",
    "kubectl get pods/",
    "kubectl delete pods --all --grace-period=-99999999999999999999",
    "echo \"unterminated",
    "echo '$(",
    "kubectl get pods \\",
    "k\u{0}ubectl get pods",
    "kubectl get pods | grep -A99999999999999 x",
    "sim settle",
    "kubectl get pods",
];

#[test]
fn hostile_inputs_end_cleanly() {
    let f = files();
    let mut t = Terminal::new(1);
    // Keep the (huge) sets small enough for a quick test; the default quota is 20,000 pods.
    t.world.max_pods = 60;
    let mut slowest = (0u128, "");
    for cmd in COMMANDS {
        let start = Instant::now();
        let out = t.run(cmd, &f);
        let ms = start.elapsed().as_millis();
        if ms > slowest.0 {
            slowest = (ms, cmd);
        }
        assert!(!out.text().is_empty() || out.exit == 0, "{cmd}: no output and exit {}", out.exit);
        assert!(out.text().len() < 2_000_000, "{cmd}: {} bytes of output", out.text().len());
    }
    // The terminal still works afterwards.
    let out = t.run("kubectl get sts myapp", &f);
    assert!(out.text().contains("myapp"), "{}", out.text());
    println!("slowest case: {} ms: {}", slowest.0, slowest.1);
}

#[test]
fn a_huge_parallel_set_is_capped_by_the_playground_quota() {
    let f = files();
    let mut t = Terminal::new(1);
    // A small quota keeps the test quick; the rule is the same at the default 20,000.
    t.world.max_pods = 40;
    let out = t.run("kubectl apply -f parallel-huge.yaml", &f);
    assert_eq!(out.exit, 0, "{}", out.text());
    t.world.run_for(2_000);
    let pods = t.world.store.count(stsplay_model::kinds::Kind::Pod);
    assert!(pods <= 40, "{pods} pods");
    let ev = t.run("kubectl get events --field-selector reason=FailedCreate", &f).text();
    assert!(ev.contains("exceeded quota: stsplay"), "{ev}");
}
