//! The two languages of the playground's own words (UI, lessons, hints, explanations). kubectl's output is
//! never translated: it stays exactly as kubectl prints it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh")]
    Zh,
}

impl Lang {
    /// Picks the language from a browser language tag (`navigator.language`): any `zh*` is Chinese.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The BCP 47 tag for the page's `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }
}

/// The page's words in both languages: (English, 简体中文). English is the key.
const TABLE: &[(&str, &str)] = &[
    ("StatefulSet Playground", "StatefulSet 演练场"),
    ("Manifest editor", "清单编辑器"),
    ("Apply", "应用"),
    ("Problems", "问题"),
    ("No problems in this file.", "此文件没有发现问题。"),
    ("Checking…", "正在检查…"),
    ("Error", "错误"),
    ("Warning", "警告"),
    ("line", "行"),
    ("column", "列"),
    ("Did you mean", "你是不是想写"),
    ("Fix", "修复"),
    ("New file", "新建文件"),
    ("Close file", "关闭文件"),
    ("Files", "文件"),
    ("Step", "单步"),
    ("Play", "播放"),
    ("Pause", "暂停"),
    ("Reset", "重置"),
    ("Share", "分享"),
    ("Speed", "速度"),
    ("Virtual time", "虚拟时间"),
    ("Timeline", "时间线"),
    ("Terminal", "终端"),
    ("Terminal output", "终端输出"),
    ("Pods", "Pod"),
    ("PersistentVolumeClaims", "PersistentVolumeClaim（存储卷声明）"),
    ("PersistentVolumes", "PersistentVolume（持久卷）"),
    ("Services", "Service（服务）"),
    ("StatefulSets", "StatefulSet"),
    ("Nodes", "节点"),
    ("Not scheduled", "尚未调度"),
    ("Events", "事件"),
    ("Filter events by object", "按对象筛选事件"),
    ("Show simulator trace", "显示模拟器日志"),
    ("Cluster map", "集群视图"),
    ("Editor panel", "编辑器面板"),
    ("Terminal panel", "终端面板"),
    ("Events panel", "事件面板"),
    ("Details", "详情"),
    ("Close", "关闭"),
    ("Language", "语言"),
    ("Theme", "主题"),
    ("Dark", "深色"),
    ("Light", "浅色"),
    ("Ready", "就绪"),
    ("Not ready", "未就绪"),
    ("Why is it waiting?", "为什么在等待？"),
    ("Share link", "分享链接"),
    ("Link copied to the clipboard.", "链接已复制到剪贴板。"),
    ("Copy the link below to share this exact session.", "复制下面的链接，即可分享当前这次会话的完整状态。"),
    ("Running", "运行中"),
    ("Paused", "已暂停"),
    ("catching up", "追赶中"),
    (
        "Recorded commands ahead (replayed when time reaches them; acting now discards them)",
        "前方还有已录制的命令（时间到达时会重放；此刻执行新操作会丢弃它们）",
    ),
    ("No events yet.", "暂无事件。"),
    ("No pods yet.", "还没有 Pod。"),
    ("No claims yet.", "还没有存储卷声明。"),
    ("No volumes yet.", "还没有持久卷。"),
    ("DNS records", "DNS 记录"),
    ("headless", "无头服务"),
    ("revision", "版本"),
    ("partition", "分区"),
    ("replicas", "副本"),
    ("ready", "就绪"),
    ("updated", "已更新"),
    ("reclaim", "回收策略"),
    ("files", "个文件"),
    ("Dismiss", "关闭提示"),
    (
        "Type a command, e.g. kubectl get pods (Tab completes, ↑/↓ history, Ctrl-C stops)",
        "输入命令，例如 kubectl get pods（Tab 补全，↑/↓ 历史，Ctrl-C 停止）",
    ),
    ("The cluster has settled.", "集群已稳定。"),
    ("Help", "帮助"),
    ("Lessons", "课程"),
    ("Pod timeline", "Pod 时间线"),
    ("Presenter", "演示模式"),
    ("Predict first", "先预测"),
    ("Export", "导出"),
    ("Download a script that replays this session on kind or minikube", "下载脚本，在 kind 或 minikube 上重放这次会话"),
    ("Play / Pause", "播放 / 暂停"),
    ("Step to the next change", "单步前进到下一个变化"),
    ("Step back", "后退一步"),
    ("Reset the cluster", "重置集群"),
    ("Show or hide this help", "显示或隐藏本帮助"),
    ("In the terminal: stop a watch / clear", "在终端中：停止 watch / 清屏"),
    ("Keyboard shortcuts", "键盘快捷键"),
];

/// The page's word for `en` in `lang` (English when no translation is listed).
pub fn tr(lang: Lang, en: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => TABLE.iter().find(|(e, _)| *e == en).map(|(_, z)| *z).unwrap_or(en),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_has_a_translation_once() {
        let mut seen = std::collections::BTreeSet::new();
        for (en, zh) in TABLE {
            assert!(seen.insert(*en), "{en} listed twice");
            assert!(!zh.trim().is_empty(), "{en} has no translation");
        }
        assert_eq!(tr(Lang::Zh, "Apply"), "应用");
        assert_eq!(tr(Lang::En, "Apply"), "Apply");
        assert_eq!(Lang::from_tag("zh-TW"), Lang::Zh);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
    }
}
