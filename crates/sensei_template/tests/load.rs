//! Tests of `sensei_template::load`: YAML and JSON text to a positioned tree.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sensei_template::load::{LoadError, load};
use sensei_template::node::{Key, Node, NodeValue};

fn ok(text: &str) -> Node {
    match load(text) {
        Ok(node) => node,
        Err(e) => panic!("expected {text:?} to load, got {e}"),
    }
}

fn err(text: &str) -> LoadError {
    match load(text) {
        Ok(node) => {
            let shown: String = format!("{node:?}").chars().take(300).collect();
            let text: String = text.chars().take(300).collect();
            panic!("expected {text:?} to fail, got {shown}")
        }
        Err(e) => e,
    }
}

fn at(node: &Node) -> (u32, u32) {
    (node.pos.line, node.pos.column)
}

fn key_at(key: &Key) -> (u32, u32) {
    (key.pos.line, key.pos.column)
}

fn string(node: &Node) -> &str {
    node.as_str().unwrap_or_else(|| panic!("expected a string, got {node:?}"))
}

/// Follows a path of mapping keys and list indexes (written as numbers).
fn path<'a>(node: &'a Node, steps: &[&str]) -> &'a Node {
    let mut cur = node;
    for step in steps {
        cur = match (&cur.value, step.parse::<usize>()) {
            (NodeValue::Seq(items), Ok(i)) => &items[i],
            _ => cur.get(step).unwrap_or_else(|| panic!("no {step:?} in {cur:?}")),
        };
    }
    cur
}

/// The 1-based (line, column) of the `nth` occurrence of `needle` in `text`, in characters.
fn find(text: &str, needle: &str, nth: usize) -> (u32, u32) {
    let (offset, _) = text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("{needle:?} #{nth}"));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line as u32, col as u32)
}

// ---------------------------------------------------------------------------------------------
// Short-form tags

#[test]
fn every_short_form_tag_becomes_its_long_form_with_positions() {
    let cases = [
        ("Ref", "Ref"),
        ("Condition", "Condition"),
        ("Sub", "Fn::Sub"),
        ("Join", "Fn::Join"),
        ("Select", "Fn::Select"),
        ("Split", "Fn::Split"),
        ("If", "Fn::If"),
        ("Equals", "Fn::Equals"),
        ("And", "Fn::And"),
        ("Or", "Fn::Or"),
        ("Not", "Fn::Not"),
        ("FindInMap", "Fn::FindInMap"),
        ("ImportValue", "Fn::ImportValue"),
        ("GetAZs", "Fn::GetAZs"),
        ("Base64", "Fn::Base64"),
        ("Cidr", "Fn::Cidr"),
        ("Transform", "Fn::Transform"),
        ("Length", "Fn::Length"),
        ("ToJsonString", "Fn::ToJsonString"),
        ("Contains", "Fn::Contains"),
        ("EachMemberEquals", "Fn::EachMemberEquals"),
        ("EachMemberIn", "Fn::EachMemberIn"),
        ("RefAll", "Fn::RefAll"),
        ("ValueOf", "Fn::ValueOf"),
        ("ValueOfAll", "Fn::ValueOfAll"),
        ("Rain::Embed", "Rain::Embed"),
    ];
    for (tag, long) in cases {
        // A scalar, a flow list and a block mapping under the tag.
        let text = format!("Top:\n  Scalar: !{tag} some.value\n  Flow: !{tag} [a, 1]\n  Block: !{tag}\n    K: v\n");
        let root = ok(&text);
        let scalar = path(&root, &["Top", "Scalar"]);
        assert_eq!(at(scalar), find(&text, &format!("!{tag}"), 0), "{tag}");
        let (key, value) = &scalar.as_map().unwrap()[0];
        assert_eq!(key.name, long);
        assert_eq!(key_at(key), find(&text, &format!("!{tag}"), 0));
        assert_eq!(value.value, NodeValue::String("some.value".into()), "{tag}");
        assert_eq!(at(value), find(&text, "some.value", 0));
        assert_eq!(scalar.as_map().unwrap().len(), 1);

        let flow = path(&root, &["Top", "Flow"]);
        assert_eq!(at(flow), find(&text, &format!("!{tag}"), 1));
        let list = flow.get(long).unwrap();
        assert_eq!(at(list), find(&text, "[a, 1]", 0));
        assert_eq!(list.as_seq().unwrap()[1].value, NodeValue::Number("1".into()));

        let block = path(&root, &["Top", "Block"]);
        assert_eq!(at(block), find(&text, &format!("!{tag}"), 2));
        let map = block.get(long).unwrap();
        assert_eq!(at(map), find(&text, "K: v", 0));
        assert_eq!(string(map.get("K").unwrap()), "v");
    }
}

#[test]
fn tag_scalars_are_always_strings() {
    let root = ok("a: !Ref 10\nb: !Sub true\nc: !GetAZs\nd: !Ref ''\ne: !Condition null\n");
    assert_eq!(string(path(&root, &["a", "Ref"])), "10");
    assert_eq!(string(path(&root, &["b", "Fn::Sub"])), "true");
    assert_eq!(string(path(&root, &["c", "Fn::GetAZs"])), "");
    assert_eq!(string(path(&root, &["d", "Ref"])), "");
    assert_eq!(string(path(&root, &["e", "Condition"])), "null");
}

#[test]
fn empty_tagged_value_sits_where_the_tag_ends() {
    let root = ok("c: !GetAZs\nd: 1\n");
    assert_eq!(at(path(&root, &["c", "Fn::GetAZs"])), (1, 11));
}

#[test]
fn tag_with_anchor_and_comment_before_the_value() {
    let text = "a: &x !Sub # note\n  'hello ${AWS::Region}'\nb: *x\n";
    let root = ok(text);
    let a = root.get("a").unwrap();
    assert_eq!(at(a), find(text, "!Sub", 0));
    assert_eq!(at(a.get("Fn::Sub").unwrap()), find(text, "'hello", 0));
    let b = root.get("b").unwrap();
    assert_eq!(at(b), find(text, "*x", 0));
    assert_eq!(string(b.get("Fn::Sub").unwrap()), "hello ${AWS::Region}");
}

#[test]
fn getatt_scalar_splits_at_the_first_dot() {
    let text = "a: !GetAtt Bucket.Arn\nb: !GetAtt Db.Endpoint.Address\nc: !GetAtt Alone\n";
    let root = ok(text);
    let a = path(&root, &["a", "Fn::GetAtt"]).as_seq().unwrap();
    assert_eq!((string(&a[0]), string(&a[1])), ("Bucket", "Arn"));
    assert_eq!(at(&a[0]), find(text, "Bucket", 0));
    assert_eq!(at(&a[1]), find(text, "Arn", 0));
    let b = path(&root, &["b", "Fn::GetAtt"]).as_seq().unwrap();
    assert_eq!((string(&b[0]), string(&b[1])), ("Db", "Endpoint.Address"));
    assert_eq!(at(&b[1]), find(text, "Endpoint", 0));
    let c = path(&root, &["c", "Fn::GetAtt"]).as_seq().unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(string(&c[0]), "Alone");
    assert_eq!(at(path(&root, &["a"])), find(text, "!GetAtt", 0));
    assert_eq!(key_at(&path(&root, &["a"]).as_map().unwrap()[0].0), find(text, "!GetAtt", 0));
}

#[test]
fn getatt_sequence_form() {
    let text = "a: !GetAtt [Bucket, Arn]\nb: !GetAtt\n  - Fn\n  - Arn\n";
    let root = ok(text);
    let a = path(&root, &["a", "Fn::GetAtt"]);
    assert_eq!(at(a), find(text, "[Bucket", 0));
    let items = a.as_seq().unwrap();
    assert_eq!((string(&items[0]), string(&items[1])), ("Bucket", "Arn"));
    assert_eq!(at(&items[1]), find(text, "Arn", 0));
    let b = path(&root, &["b", "Fn::GetAtt"]);
    assert_eq!(at(b), find(text, "- Fn", 0));
    assert_eq!(string(&b.as_seq().unwrap()[0]), "Fn");
}

#[test]
fn short_and_long_forms_give_the_same_tree_modulo_positions() {
    fn strip(node: &Node) -> String {
        // Compare structure and values only.
        match &node.value {
            NodeValue::Map(entries) => {
                let inner: Vec<String> = entries.iter().map(|(k, v)| format!("{}={}", k.name, strip(v))).collect();
                format!("{{{}}}", inner.join(","))
            }
            NodeValue::Seq(items) => {
                format!("[{}]", items.iter().map(strip).collect::<Vec<_>>().join(","))
            }
            other => format!("{other:?}"),
        }
    }
    let short = ok("a: !If [C, !Ref X, !GetAtt R.Arn]\nb: !Join ['', [!Sub 'x-${Y}', z]]\n");
    let long = ok("{\"a\": {\"Fn::If\": [\"C\", {\"Ref\": \"X\"}, {\"Fn::GetAtt\": [\"R\", \"Arn\"]}]},\n \
         \"b\": {\"Fn::Join\": [\"\", [{\"Fn::Sub\": \"x-${Y}\"}, \"z\"]]}}");
    assert_eq!(strip(&short), strip(&long));
}

#[test]
fn unknown_tags_are_errors_naming_tag_and_line() {
    let e = err("a: 1\nb: !Foo x\n");
    assert_eq!((e.line, e.column), (2, 4));
    assert!(e.message.contains("unknown tag !Foo"), "{e}");
    let e = err("a:\n  - !!binary aGk=\n");
    assert_eq!((e.line, e.column), (2, 5));
    assert!(e.message.contains("!!binary"), "{e}");
    let e = err("a: !Bar [1]\n");
    assert!(e.message.contains("!Bar"), "{e}");
    assert_eq!(e.line, 1);
    let e = err("a: !!timestamp 2001-12-14\n");
    assert!(e.message.contains("!!timestamp"), "{e}");
    let e = err("a: !<tag:example.com,2000:x> 1\n");
    assert!(e.message.contains("tag:example.com"), "{e}");
    let e = err("!Sub a: b\n");
    assert!(e.message.contains("key"), "{e}");
}

#[test]
fn core_schema_tags_are_honoured() {
    let root = ok(
        "s: !!str 10\ni: !!int 10\nf: !!float 1\nb: !!bool true\nn: !!null ~\nm: !!map {a: 1}\nq: !!seq [1]\nx: ! 12\n\
         v: !<tag:yaml.org,2002:str> true\n",
    );
    assert_eq!(root.get("s").unwrap().value, NodeValue::String("10".into()));
    assert_eq!(root.get("i").unwrap().value, NodeValue::Number("10".into()));
    assert_eq!(root.get("f").unwrap().value, NodeValue::Number("1".into()));
    assert_eq!(root.get("b").unwrap().value, NodeValue::Bool(true));
    assert_eq!(root.get("n").unwrap().value, NodeValue::Null);
    assert!(root.get("m").unwrap().as_map().is_some());
    assert!(root.get("q").unwrap().as_seq().is_some());
    assert_eq!(root.get("x").unwrap().value, NodeValue::String("12".into()));
    assert_eq!(root.get("v").unwrap().value, NodeValue::String("true".into()));
    assert!(err("a: !!int abc\n").message.contains("!!int"));
    assert!(err("a: !!bool yes\n").message.contains("!!bool"));
    assert!(err("a: !!map 1\n").message.contains("!!map"));
    assert!(err("a: !!seq {a: 1}\n").message.contains("!!seq"));
    assert!(err("a: !!str [1]\n").message.contains("!!str"));
}

// ---------------------------------------------------------------------------------------------
// Scalars

#[test]
fn plain_scalars_follow_the_yaml_1_2_core_schema() {
    let text = "\
n1: null\nn2: ~\nn3:\nn4: Null\nn5: NULL\n\
b1: true\nb2: True\nb3: TRUE\nb4: false\nb5: False\nb6: FALSE\n\
i1: 10\ni2: -3\ni3: 0x1F\ni4: 0o17\ni5: 010\ni6: +4\n\
f1: 1.5\nf2: .5\nf3: 1e3\nf4: -2.5E-3\nf5: .inf\nf6: -.Inf\nf7: .NaN\n\
s1: yes\ns2: no\ns3: on\ns4: 1_000\ns5: 0b101\ns6: nul\ns7: 12:30\ns8: 1.2.3\ns9: tRUE\n";
    let root = ok(text);
    for k in ["n1", "n2", "n3", "n4", "n5"] {
        assert_eq!(root.get(k).unwrap().value, NodeValue::Null, "{k}");
    }
    for (k, b) in [("b1", true), ("b2", true), ("b3", true), ("b4", false), ("b5", false), ("b6", false)] {
        assert_eq!(root.get(k).unwrap().value, NodeValue::Bool(b), "{k}");
    }
    for (k, v) in [
        ("i1", "10"),
        ("i2", "-3"),
        ("i3", "0x1F"),
        ("i4", "0o17"),
        ("i5", "010"),
        ("i6", "+4"),
        ("f1", "1.5"),
        ("f2", ".5"),
        ("f3", "1e3"),
        ("f4", "-2.5E-3"),
        ("f5", ".inf"),
        ("f6", "-.Inf"),
        ("f7", ".NaN"),
    ] {
        assert_eq!(root.get(k).unwrap().value, NodeValue::Number(v.into()), "{k}");
    }
    for (k, v) in [
        ("s1", "yes"),
        ("s2", "no"),
        ("s3", "on"),
        ("s4", "1_000"),
        ("s5", "0b101"),
        ("s6", "nul"),
        ("s7", "12:30"),
        ("s8", "1.2.3"),
        ("s9", "tRUE"),
    ] {
        assert_eq!(root.get(k).unwrap().value, NodeValue::String(v.into()), "{k}");
    }
}

#[test]
fn quoted_and_block_scalars_are_strings() {
    let root = ok("a: '10'\nb: \"true\"\nc: ''\nd: |\n  null\ne: >-\n  1.5\nf: \"~\"\n");
    assert_eq!(root.get("a").unwrap().value, NodeValue::String("10".into()));
    assert_eq!(root.get("b").unwrap().value, NodeValue::String("true".into()));
    assert_eq!(root.get("c").unwrap().value, NodeValue::String("".into()));
    assert_eq!(root.get("d").unwrap().value, NodeValue::String("null\n".into()));
    assert_eq!(root.get("e").unwrap().value, NodeValue::String("1.5".into()));
    assert_eq!(root.get("f").unwrap().value, NodeValue::String("~".into()));
}

#[test]
fn template_version_date_stays_a_string() {
    let root = ok("AWSTemplateFormatVersion: 2010-09-09\nVersion: 2012-10-17\n");
    assert_eq!(root.get("AWSTemplateFormatVersion").unwrap().value, NodeValue::String("2010-09-09".into()));
    assert_eq!(root.get("Version").unwrap().value, NodeValue::String("2012-10-17".into()));
}

#[test]
fn keys_keep_their_text_and_position() {
    let text = "1: a\ntrue: b\n'q': c\n~: d\n\"<<\": e\n";
    let root = ok(text);
    let names: Vec<&str> = root.as_map().unwrap().iter().map(|(k, _)| k.name.as_str()).collect();
    assert_eq!(names, ["1", "true", "q", "~", "<<"]);
    assert_eq!(key_at(&root.as_map().unwrap()[2].0), (3, 1));
    assert_eq!(at(&root.as_map().unwrap()[2].1), (3, 6));
}

#[test]
fn complex_keys_are_errors() {
    let e = err("? [a, b]\n: 1\n");
    assert!(e.message.contains("key"), "{e}");
    assert_eq!((e.line, e.column), (1, 3));
    let e = err("{[a]: 1}");
    assert!(e.message.contains("key"), "{e}");
    let e = err("x: &m {a: 1}\n*m : 2\n");
    assert!(e.message.contains("key"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Duplicates and merges

#[test]
fn duplicate_keys_name_both_lines() {
    let text = "Resources:\n  A:\n    Type: X\n  Foo:\n    Type: Y\n  B:\n    Type: Z\n\n  Foo:\n    Type: W\n";
    let e = err(text);
    assert_eq!(e.message, "duplicate key \"Foo\": first at line 4, again at line 9");
    assert_eq!((e.line, e.column), (9, 3));
}

#[test]
fn duplicate_keys_in_large_mappings_and_json() {
    let mut text = String::new();
    for i in 0..200 {
        text.push_str(&format!("k{i}: {i}\n"));
    }
    text.push_str("k17: again\n");
    let e = err(&text);
    assert_eq!(e.message, "duplicate key \"k17\": first at line 18, again at line 201");
    let e = err("{\n  \"a\": 1,\n  \"a\": 2\n}");
    assert_eq!(e.message, "duplicate key \"a\": first at line 2, again at line 3");
    // Same name, different quoting: still the same key.
    assert!(err("a: 1\n'a': 2\n").message.starts_with("duplicate key \"a\""));
    // Many distinct keys are fine.
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&format!("key{i}: {i}\n"));
    }
    assert_eq!(ok(&text).as_map().unwrap().len(), 5000);
}

#[test]
fn merge_keys_follow_pyyaml_explicit_keys_win() {
    let text = "\
Base: &base
  A: 1
  B: 2
Other: &other
  B: 20
  C: 30
One:
  <<: *base
  B: 3
Many:
  D: 4
  <<: [*other, *base]
Inline:
  <<: {X: 1}
  Y: 2
";
    let root = ok(text);
    let one = root.get("One").unwrap().as_map().unwrap();
    let one: Vec<(&str, &NodeValue)> = one.iter().map(|(k, v)| (k.name.as_str(), &v.value)).collect();
    assert_eq!(one, [("A", &NodeValue::Number("1".into())), ("B", &NodeValue::Number("3".into()))]);
    let many = root.get("Many").unwrap();
    let names: Vec<&str> = many.as_map().unwrap().iter().map(|(k, _)| k.name.as_str()).collect();
    assert_eq!(names, ["D", "B", "C", "A"]);
    // The first mapping in the list wins: B comes from *other.
    assert_eq!(many.get("B").unwrap().value, NodeValue::Number("20".into()));
    // Merged keys keep the position they were written at.
    let (b_key, _) = many.get_entry("B").unwrap();
    assert_eq!(key_at(b_key), find(text, "B: 20", 0));
    assert_eq!(string_keys(root.get("Inline").unwrap()), ["X", "Y"]);

    let e = err("a: &a [1]\nb:\n  <<: *a\n");
    assert!(e.message.contains("merge key"), "{e}");
    let e = err("a: &a {x: 1}\nb:\n  <<: [*a, 3]\n");
    assert!(e.message.contains("merge key"), "{e}");
    let e = err("a: &a {x: 1}\nb:\n  <<: *a\n  x: 1\n  x: 2\n");
    assert!(e.message.starts_with("duplicate key \"x\""), "{e}");
}

fn string_keys(node: &Node) -> Vec<&str> {
    node.as_map().unwrap().iter().map(|(k, _)| k.name.as_str()).collect()
}

// ---------------------------------------------------------------------------------------------
// Anchors and aliases

#[test]
fn aliases_are_copied() {
    let text = "a: &x\n  k: [1, 2]\nb: *x\nc: &s text\nd: *s\n";
    let root = ok(text);
    assert_eq!(root.get("b").unwrap().value, root.get("a").unwrap().value);
    assert_eq!(at(root.get("b").unwrap()), find(text, "*x", 0));
    assert_eq!(string(root.get("d").unwrap()), "text");
    let root = ok("&k name: 1\nlist: [*k]\n");
    assert_eq!(string(&path(&root, &["list"]).as_seq().unwrap()[0]), "name");
}

#[test]
fn unknown_and_recursive_aliases_are_errors() {
    let e = err("a: 1\nb: *nope\n");
    assert_eq!((e.line, e.column), (2, 4));
    assert!(e.message.contains("*nope"), "{e}");
    let e = err("a: &a [1, *a]\n");
    assert!(e.message.contains("*a"), "{e}");
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let mut text = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let (prev, next) = (pair[0], pair[1]);
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{next}: &{next} [{refs}]\n"));
    }
    let start = Instant::now();
    let e = err(&text);
    let took = start.elapsed();
    assert!(e.message.starts_with("alias expansion exceeds"), "{e}");
    assert!(e.line >= 5, "{e}");
    assert!(took < Duration::from_secs(2), "alias bomb took {took:?}");
}

#[test]
fn alias_depth_is_bounded() {
    // Aliases copy nesting: the copies may nest deeper than the text does.
    let deep = format!("{}x{}", "[".repeat(200), "]".repeat(200));
    let text = format!("a: &a {deep}\nb: &b [[*a]]\nc: [*b, [[*b]]]\nd: [[[[[[*b]]]]]]\n");
    let root = ok(&text); // 200 + 2 + 2 levels, then 206 + 3: fine
    assert!(root.get("d").is_some());
    let mut text = format!("a0: &a0 {}x{}\n", "[".repeat(250), "]".repeat(250));
    text.push_str(&format!("a1: &a1 {}*a0{}\n", "[".repeat(200), "]".repeat(200)));
    text.push_str(&format!("a2: {}*a1{}\n", "[".repeat(100), "]".repeat(100)));
    let e = err(&text);
    assert!(e.message.starts_with("nesting deeper than 512 levels"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Depth

#[test]
fn deep_flow_nesting_is_an_error_not_a_crash() {
    let text = "[".repeat(1_000_000);
    let start = Instant::now();
    let e = err(&text);
    assert!(e.message.contains("nesting deeper than"), "{e}");
    assert_eq!(e.line, 1);
    assert!(start.elapsed() < Duration::from_secs(2));
    let text = format!("a: {}", "{\"a\": ".repeat(1_000_000));
    let e = err(&text);
    assert!(e.message.contains("nesting deeper than"), "{e}");
}

#[test]
fn deep_block_nesting_is_an_error_not_a_crash() {
    let text = format!("{}x\n", "- ".repeat(1_000_000));
    let start = Instant::now();
    let e = err(&text);
    assert_eq!(e.message, "nesting deeper than 512 levels at line 1");
    assert_eq!(e.line, 1);
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
    // Block mappings, one level per line.
    let mut text = String::new();
    for i in 0..600 {
        text.push_str(&" ".repeat(i));
        text.push_str("a:\n");
    }
    let e = err(&text);
    assert_eq!(e.message, "nesting deeper than 512 levels at line 513");
    // Tags count as levels too.
    let text = format!("{}{}x\n", "- ".repeat(200), "!Not [".repeat(200));
    let e = err(&text);
    assert!(e.message.starts_with("nesting deeper than 512 levels"), "{e}");
}

#[test]
fn nesting_up_to_the_limit_loads() {
    let mut text = String::new();
    for i in 0..511 {
        text.push_str(&" ".repeat(i));
        text.push_str("a:\n");
    }
    text.push_str(&" ".repeat(511));
    text.push_str("a: x\n");
    let mut node = &ok(&text);
    let mut levels = 0;
    while let Some(inner) = node.get("a") {
        levels += 1;
        node = inner;
    }
    assert_eq!(levels, 512);
}

#[test]
fn deep_json_is_an_error_and_moderate_json_loads() {
    let deep = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    let e = err(&deep);
    assert!(e.message.contains("nesting deeper than"), "{e}");
    let fine = format!("{}1{}", "{\"a\":".repeat(200), "}".repeat(200));
    let mut node = &ok(&fine);
    let mut levels = 0;
    while let Some(inner) = node.get("a") {
        levels += 1;
        node = inner;
    }
    assert_eq!(levels, 200);
    assert_eq!(node.value, NodeValue::Number("1".into()));
}

// ---------------------------------------------------------------------------------------------
// Documents

#[test]
fn empty_file_is_an_error() {
    for text in ["", "   \n\n", "# only a comment\n", "\u{feff}"] {
        assert_eq!(err(text).message, "the file is empty", "{text:?}");
    }
}

#[test]
fn a_lone_document_marker_is_null() {
    assert_eq!(ok("---\n").value, NodeValue::Null);
    assert_eq!(ok("--- \na: 1\n...\n").get("a").unwrap().value, NodeValue::Number("1".into()));
}

#[test]
fn second_document_is_an_error_naming_its_line() {
    let e = err("a: 1\nb: 2\n---\nc: 3\n");
    assert_eq!((e.line, e.column), (3, 1));
    assert!(e.message.contains("line 3"), "{e}");
    let e = err("---\na: 1\n...\n---\nb: 2\n");
    assert_eq!(e.line, 4);
    let e = err("a: 1\n...\nb: 2\n");
    assert_eq!(e.line, 3);
}

#[test]
fn top_level_scalar_or_list_is_returned() {
    assert_eq!(ok("hello").value, NodeValue::String("hello".into()));
    assert_eq!(ok("- 1\n- 2\n").as_seq().unwrap().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// JSON

#[test]
fn json_pretty_tabs_and_minified() {
    let pretty = "{\n  \"Resources\": {\n    \"Bucket\": {\n      \"Type\": \"AWS::S3::Bucket\"\n    }\n  }\n}\n";
    let tabs = "{\n\t\"Resources\": {\n\t\t\"Bucket\": {\n\t\t\t\"Type\": \"AWS::S3::Bucket\"\n\t\t}\n\t}\n}\n";
    let mini = "{\"Resources\":{\"Bucket\":{\"Type\":\"AWS::S3::Bucket\",\"N\":[1,2.5,true,null,\"x\\/y\"]}}}";
    for text in [pretty, tabs, mini] {
        let root = ok(text);
        let (key, bucket) = path(&root, &["Resources"]).get_entry("Bucket").unwrap();
        assert_eq!(key_at(key), find(text, "\"Bucket\"", 0), "{text:?}");
        assert_eq!(at(bucket), find(text, "{", 2), "{text:?}");
        assert_eq!(string(path(&root, &["Resources", "Bucket", "Type"])), "AWS::S3::Bucket");
    }
    let root = ok(tabs);
    assert_eq!(key_at(path(&root, &["Resources"]).get_entry("Bucket").unwrap().0), (3, 3));
    let root = ok(mini);
    let n = path(&root, &["Resources", "Bucket", "N"]).as_seq().unwrap();
    assert_eq!(n[0].value, NodeValue::Number("1".into()));
    assert_eq!(n[1].value, NodeValue::Number("2.5".into()));
    assert_eq!(n[2].value, NodeValue::Bool(true));
    assert_eq!(n[3].value, NodeValue::Null);
    assert_eq!(n[4].value, NodeValue::String("x/y".into()));
}

#[test]
fn truncated_json_is_an_error() {
    let e = err("{\"Resources\": {");
    assert!(e.message.contains("end"), "{e}");
    assert_eq!(e.line, 1);
    let e = err("{\n  \"Resources\": {\n    \"A\": [1, 2\n");
    assert!(e.message.contains("end"), "{e}");
    let e = err("{\"a\": \"unclosed");
    assert!(e.message.contains("quote"), "{e}");
    let e = err("{\"a\": 1 \"b\": 2}");
    assert_eq!((e.line, e.column), (1, 9), "{e}");
    // JSON-looking text that is not JSON is read as YAML.
    let root = ok("{Resources: {A: !Ref B}, # note\n 'C': [1, 2,]}");
    assert_eq!(string(path(&root, &["Resources", "A", "Ref"])), "B");
}

#[test]
fn json_surrogate_pairs_are_decoded() {
    // What Python's json.dumps writes for "😀 ok 🎉".
    let text = "{\n  \"Description\": \"\\ud83d\\ude00 ok \\uD83C\\uDF89\", \"Next\": \"x\"\n}\n";
    let root = ok(text);
    assert_eq!(string(root.get("Description").unwrap()), "😀 ok 🎉");
    // Positions after the escapes still point into the original text.
    let (key, value) = root.get_entry("Next").unwrap();
    assert_eq!(key_at(key), find(text, "\"Next\"", 0));
    assert_eq!(at(value), find(text, "\"x\"", 0));
    // An escaped backslash before `u` is not an escape.
    let root = ok("{\"a\": \"\\\\uD83D\\\\uDE00\"}");
    assert_eq!(string(root.get("a").unwrap()), "\\uD83D\\uDE00");
    // A lone surrogate stays an error.
    let e = err("{\"a\": \"\\uD83D x\"}");
    assert!(e.message.contains("\\u"), "{e}");
    assert_eq!((e.line, e.column), (1, 8));
}

#[test]
fn byte_order_mark_is_accepted() {
    let root = ok("\u{feff}a: 1\nb: !Ref X\n");
    assert_eq!(key_at(&root.as_map().unwrap()[0].0), (1, 1));
    assert_eq!(at(root.get("b").unwrap()), (2, 4));
    let root = ok("\u{feff}{\"a\": 1}");
    assert_eq!(at(root.get("a").unwrap()), (1, 7));
}

// ---------------------------------------------------------------------------------------------
// Malformed input

#[test]
fn malformed_yaml_gives_positioned_readable_errors() {
    let cases: &[(&str, u32)] = &[
        ("a:\n  b: 1\n c: 2\n", 3),            // bad indentation
        ("a: \"unclosed\nb: 1\n", 1),          // unclosed double quote
        ("a: 'unclosed\n", 1),                 // unclosed single quote
        ("a: b: c\n", 1),                      // mapping value in a plain scalar
        ("a:\n\t- 1\n", 2),                    // tab indentation
        ("a: [1, 2\nb: 3\n", 2),               // unclosed flow list
        ("- a\nb: 1\n", 2),                    // list then mapping
        ("a: 1\n]\n", 2),                      // stray bracket
        ("a: |\n  x\n y\n", 3),                // bad block scalar
        ("a: \"\\q\"\n", 1),                   // unknown escape
        ("key: @value\n", 1),                  // reserved indicator
        ("%YAML 1.2\n%YAML 1.2\n---\na\n", 2), // directives
    ];
    for (text, line) in cases {
        let e = err(text);
        assert_eq!(e.line, *line, "{text:?}: {e}");
        assert!(e.column >= 1, "{text:?}: {e}");
        assert!(!e.message.is_empty() && !e.message.contains("Marker") && !e.message.contains("ScanError"), "{e}");
        assert!(!e.message.contains(" at byte "), "{e}");
    }
}

#[test]
fn control_characters_are_refused_with_their_position() {
    let e = err("a: 1\nb: x\u{1}y\n");
    assert_eq!((e.line, e.column), (2, 5));
    assert!(e.message.contains("U+0001"), "{e}");
    let e = err("a: \"\u{0}\"");
    assert!(e.message.contains("U+0000"), "{e}");
    let e = err("\u{7f}ELF\u{2}\u{1}\u{1}\u{0}\u{0}");
    assert_eq!((e.line, e.column), (1, 1));
    // Tabs, CR LF and non-ASCII text are fine.
    let root = ok("a: \"x\ty\"\r\nb: é ü 日本\r\n");
    assert_eq!(string(root.get("b").unwrap()), "é ü 日本");
    assert_eq!(at(root.get("b").unwrap()), (2, 4));
}

#[test]
fn garbage_never_panics() {
    // A deterministic pseudo-random mix of YAML punctuation, to reach odd parser states.
    let alphabet: Vec<char> = "-:[]{},?!&*|>'\"#%@` \n\t\ra1.~<=\\x".chars().collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..3000 {
        let len = (seed % 40) as usize;
        let mut text = String::new();
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        if let Err(e) = load(&text) {
            assert!(!e.message.is_empty(), "{text:?}");
            assert!(!e.message.starts_with("internal error"), "{text:?}: {e}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Indentation that PyYAML accepts and the YAML 1.2 parser does not

const LENIENT: &str = r#"Resources:
  Role:
    Properties:
      Policies:
        - PolicyName: a
          PolicyDocument: !Sub '{
              "Version": "2012-10-17"
          }'
        - PolicyName: b
          PolicyDocument: !Sub "{
              \"Sid\": \"${AWS::Region}\"
          }"
      Tags: {
      'k': v,
      'n': !Ref X
      }
      After: 1
"#;

#[test]
fn under_indented_quoted_strings_and_flow_collections_load() {
    let root = ok(LENIENT);
    let props = path(&root, &["Resources", "Role", "Properties"]);
    let a = path(props, &["Policies", "0", "PolicyDocument", "Fn::Sub"]);
    assert_eq!(string(a), "{ \"Version\": \"2012-10-17\" }");
    assert_eq!(at(a), find(LENIENT, "'{", 0));
    let b = path(props, &["Policies", "1", "PolicyDocument", "Fn::Sub"]);
    assert_eq!(string(b), "{ \"Sid\": \"${AWS::Region}\" }");
    // Positions on re-indented lines still point into the original text.
    let tags = props.get("Tags").unwrap();
    let (k, v) = tags.get_entry("k").unwrap();
    assert_eq!(key_at(k), find(LENIENT, "'k'", 0));
    assert_eq!(at(v), find(LENIENT, "v,", 0));
    let n = tags.get("n").unwrap();
    assert_eq!(at(n), find(LENIENT, "!Ref X", 0));
    assert_eq!(at(n.get("Ref").unwrap()), find(LENIENT, "X\n", 0));
    assert_eq!(key_at(props.get_entry("After").unwrap().0), find(LENIENT, "After", 0));
}

#[test]
fn a_wrong_guess_while_re_indenting_is_undone() {
    // The comment's quote looks like the start of a string ending on the `E` line; padding that
    // line would change the structure, so the loader parses again without guessing.
    let text = "X:\n  A: !Sub '{\n    \"x\": 1\n  }'\n  D: 1 # it's 'odd\n  E: 'x'\n  F: |\n    a 'b\n  G: c'\n";
    let root = ok(text);
    let x = root.get("X").unwrap();
    assert_eq!(string(path(x, &["A", "Fn::Sub"])), "{ \"x\": 1 }");
    assert_eq!(string(x.get("E").unwrap()), "x");
    assert_eq!(at(x.get("E").unwrap()), (6, 6));
    assert_eq!(string(x.get("F").unwrap()), "a 'b\n");
    assert_eq!(string(x.get("G").unwrap()), "c'");
    let names: Vec<&str> = x.as_map().unwrap().iter().map(|(k, _)| k.name.as_str()).collect();
    assert_eq!(names, ["A", "D", "E", "F", "G"]);
}

#[test]
fn re_indenting_a_flow_collection_leaves_block_scalars_alone() {
    let text = "A:\n  S: |\n    function() {\n    }\n  T: {\n  \"b\": [1,\n 2] }\n  U: x\n";
    let root = ok(text);
    let a = root.get("A").unwrap();
    assert_eq!(string(a.get("S").unwrap()), "function() {\n}\n");
    let t = a.get("T").unwrap();
    assert_eq!(key_at(t.get_entry("b").unwrap().0), (6, 3));
    assert_eq!(at(&t.get("b").unwrap().as_seq().unwrap()[1]), (7, 2));
    assert_eq!(string(a.get("U").unwrap()), "x");
}

#[test]
fn unclosed_multi_line_quote_is_reported_at_its_start() {
    let e = err("a:\n  b: 'open\n  c: 1\n");
    assert_eq!((e.line, e.column), (2, 6));
    assert!(e.message.contains("never closed"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// A realistic SAM template

const SAM: &str = r#"AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: >
  Orders API

Parameters:
  Stage:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]

Conditions:
  IsProd: !Equals [!Ref Stage, prod]

Globals:
  Function:
    Runtime: python3.12
    Timeout: 10

Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: !If [IsProd, true, false]

  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      MemorySize: 256
      Environment:
        Variables:
          TABLE: !Ref OrdersTable
          TABLE_ARN: !GetAtt OrdersTable.Arn
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref OrdersTable
        - Statement:
            - Effect: Allow
              Action: 's3:GetObject'
              Resource: !Sub 'arn:${AWS::Partition}:s3:::${Stage}-bucket/*'
      Events:
        Api:
          Type: Api
          Properties:
            Path: /orders
            Method: get

Outputs:
  TableArn:
    Value: !GetAtt [OrdersTable, Arn]
    Export:
      Name: !Join ['-', [!Ref 'AWS::StackName', table]]
"#;

#[test]
fn realistic_sam_template_with_positions() {
    let root = ok(SAM);
    assert_eq!(string(root.get("AWSTemplateFormatVersion").unwrap()), "2010-09-09");
    assert_eq!(string(root.get("Description").unwrap()), "Orders API\n");
    let resources = root.get("Resources").unwrap();
    let (key, table) = resources.get_entry("OrdersTable").unwrap();
    assert_eq!(key_at(key), find(SAM, "OrdersTable:", 0));
    assert_eq!(at(table), find(SAM, "Type: AWS::DynamoDB::Table", 0));
    let (key, function) = resources.get_entry("OrdersFunction").unwrap();
    assert_eq!(key_at(key), find(SAM, "OrdersFunction:", 0));
    assert_eq!(path(function, &["Properties", "MemorySize"]).value, NodeValue::Number("256".into()));

    let vars = path(function, &["Properties", "Environment", "Variables"]);
    let table_ref = vars.get("TABLE").unwrap();
    assert_eq!(at(table_ref), find(SAM, "!Ref OrdersTable", 0));
    assert_eq!(string(table_ref.get("Ref").unwrap()), "OrdersTable");
    assert_eq!(at(table_ref.get("Ref").unwrap()), find(SAM, "OrdersTable\n          TABLE_ARN", 0));
    let getatt = vars.get("TABLE_ARN").unwrap();
    assert_eq!(at(getatt), find(SAM, "!GetAtt OrdersTable.Arn", 0));
    let parts = getatt.get("Fn::GetAtt").unwrap().as_seq().unwrap();
    assert_eq!(at(&parts[1]), find(SAM, "Arn\n", 0));

    let statement = path(function, &["Properties", "Policies", "1", "Statement", "0"]);
    assert_eq!(at(statement), find(SAM, "Effect: Allow", 0));
    let sub = statement.get("Resource").unwrap();
    assert_eq!(at(sub), find(SAM, "!Sub", 0));
    assert_eq!(at(sub.get("Fn::Sub").unwrap()), find(SAM, "'arn:", 0));
    let policies = path(function, &["Properties", "Policies"]);
    assert_eq!(at(policies), find(SAM, "- DynamoDBCrudPolicy", 0));

    let cond = path(&root, &["Conditions", "IsProd"]);
    let equals = cond.get("Fn::Equals").unwrap().as_seq().unwrap();
    assert_eq!(at(&equals[0]), find(SAM, "!Ref Stage", 0));
    assert_eq!(string(equals[0].get("Ref").unwrap()), "Stage");
    assert_eq!(string(&equals[1]), "prod");

    let pitr = path(table, &["Properties", "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"]);
    let branches = pitr.get("Fn::If").unwrap().as_seq().unwrap();
    assert_eq!(branches[1].value, NodeValue::Bool(true));

    let export = path(&root, &["Outputs", "TableArn", "Export", "Name", "Fn::Join"]).as_seq().unwrap();
    let joined = export[1].as_seq().unwrap();
    assert_eq!(string(joined[0].get("Ref").unwrap()), "AWS::StackName");
    assert_eq!(at(&joined[0]), find(SAM, "!Ref 'AWS::StackName'", 0));
    assert_eq!(at(path(&root, &["Outputs", "TableArn", "Value", "Fn::GetAtt"])), find(SAM, "[OrdersTable, Arn]", 0));
    let allowed = path(&root, &["Parameters", "Stage", "AllowedValues"]);
    assert_eq!(at(allowed), find(SAM, "[dev, prod]", 0));
    assert_eq!(at(&allowed.as_seq().unwrap()[1]), find(SAM, "prod]", 0));
}

// ---------------------------------------------------------------------------------------------
// The public corpus

fn corpus_dir() -> PathBuf {
    std::env::var_os("SENSEI_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/public"))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json" | "template")) {
            out.push(path);
        }
    }
}

#[test]
fn public_corpus_loads_except_the_three_duplicate_key_files() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!("corpus not found at {}; skipped", dir.display());
        return;
    }
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    let texts: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            (f, text)
        })
        .collect();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let start = Instant::now();
    let results: Vec<_> = texts.iter().map(|(_, t)| load(t)).collect();
    let took = start.elapsed();
    let mut failed = Vec::new();
    for ((file, _), result) in texts.iter().zip(&results) {
        if let Err(e) = result {
            let rel = file.strip_prefix(&dir).unwrap_or(file).display().to_string();
            println!("{rel}: {e}");
            failed.push((rel, e.clone()));
        }
    }
    println!(
        "corpus: {} files, {} bytes, {} loaded, {} failed, in {took:?}",
        texts.len(),
        bytes,
        texts.len() - failed.len(),
        failed.len()
    );
    let names: Vec<&str> = failed.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        names,
        [
            "aws-samples__serverless-patterns/apigw-ec2/template.yaml",
            "aws-samples__serverless-patterns/public-nlb-or-alb-private-api-cfn/template.yaml",
            "aws-samples__serverless-patterns/sam-webapp-cognito/template.yaml",
        ]
    );
    for (file, e) in &failed {
        assert!(e.message.starts_with("duplicate key "), "{file}: {e}");
    }
    assert!(texts.len() >= 250, "only {} files", texts.len());
}
