use stsplay_cluster::World;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::objects::*;

fn sts(replicas: i32) -> StatefulSet {
    let v = serde_json::json!({
        "metadata": {"name": "myapp"},
        "spec": {
            "serviceName": "myapp", "replicas": replicas,
            "selector": {"matchLabels": {"app": "myapp-pod"}},
            "template": {"metadata": {"labels": {"app": "myapp-pod"}},
                "spec": {"containers": [{"name": "myapp", "image": "ikubernetes/myapp:v1",
                    "volumeMounts": [{"name": "myappdata", "mountPath": "/usr/share/nginx/html"}]}]}},
            "volumeClaimTemplates": [{"metadata": {"name": "myappdata"},
                "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "gluster-dynamic",
                         "resources": {"requests": {"storage": "2Gi"}}}}]
        }
    });
    serde_json::from_value(v).unwrap()
}

fn pods(w: &World) -> Vec<(String, String, bool, String)> {
    w.pods("default")
        .map(|p| {
            (
                p.metadata.name.clone(),
                p.status.phase.clone(),
                p.is_ready(),
                p.metadata.labels.get("controller-revision-hash").cloned().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn ordered_creation_and_rollout() {
    let mut w = World::new(1);
    w.api_create(Object::StatefulSet(sts(3))).unwrap();
    assert!(w.settle(600_000));
    let p = pods(&w);
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(p.iter().all(|x| x.1 == "Running" && x.2), "{p:?}");
    let s = w.get_sts("default", "myapp").unwrap().clone();
    assert_eq!(s.status.ready_replicas, 3);
    assert_eq!(s.status.current_revision, s.status.update_revision);
    // Rolling update with partition 2.
    let mut s2 = s.clone();
    s2.spec.template.spec.containers[0].image = "ikubernetes/myapp:v2".into();
    s2.spec.update_strategy.rolling_update.as_mut().unwrap().partition = Some(2);
    w.api_update(Object::StatefulSet(s2)).unwrap();
    assert!(w.settle(600_000));
    let s = w.get_sts("default", "myapp").unwrap().clone();
    let p = pods(&w);
    assert_eq!(p[2].3, s.status.update_revision, "{p:?}");
    assert_eq!(p[0].3, s.status.current_revision);
    assert_ne!(s.status.current_revision, s.status.update_revision);
    assert_eq!(s.status.updated_replicas, 1);
    assert_eq!(s.status.current_replicas, 2);
    // PVCs bound, one per pod.
    assert_eq!(w.store.list(Kind::PersistentVolumeClaim, Some("default")).count(), 3);
    println!("{:#?}", w.trace.iter().map(|t| format!("{} {} {}", t.at, t.component, t.message)).collect::<Vec<_>>());
}
