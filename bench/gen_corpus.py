#!/usr/bin/env python3
"""Deterministic synthetic Chinese after-sales knowledge base for svcbook benchmarks.

    python3 bench/gen_corpus.py --articles 10000 --seed 42 --out bench/out/corpus/kb-10000
    python3 bench/gen_corpus.py --articles 10000 --seed 42 --plain --out bench/out/corpus/plain-10000

The typed variant follows the README's content model: every kind (fault cases,
procedures, scripts, playbooks, standards, plain pages), the front-matter fields
of each kind, `[[ID]]` / `[[ID|text]]` / `[[ID#原因]]` cross-links that resolve,
relative `.md` links, `## 步骤` numbered lists, the fault-case and playbook
sections, GFM tables, lists, task lists, alerts and `say` / `avoid` blocks.
Bodies are 300 to 5,000 Chinese characters (log-uniform).

The plain variant (`--plain`) has the same bodies with front matter reduced to
`title` and `summary`, kind-neutral folders nested one level by product family
(`faults/XR/…`, each folder with an `_index.md` section page), cross-links
turned into `.md` links (half relative, half site-root-absolute, `/faults/XR/…`,
as Hugo-style docs write them), and a minimal Hugo layout plus `hugo.toml`, so
that svcbook, Hugo and Pagefind all work on the same files.

Only the standard library; the output is a pure function of (--articles, --seed,
--plain): same arguments, byte-identical files.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import shutil
import sys

# ----------------------------------------------------------------------------
# Vocabulary
# ----------------------------------------------------------------------------

FAMILIES = [
    # (prefix, appliance, parts, symptoms)
    ("XR", "空调", ["压缩机", "冷凝器", "蒸发器", "四通阀", "电子膨胀阀", "室外风机", "室内风机", "温度传感器",
                   "连接管喇叭口", "截止阀", "主控板", "显示板", "遥控接收头", "导风板电机", "排水管"],
     ["不制冷", "不制热", "出风不凉", "外机不启动", "室内机漏水", "噪音大", "异味", "频繁停机", "遥控无反应"]),
    ("FR", "冰箱", ["压缩机", "门封条", "化霜加热丝", "化霜传感器", "冷藏风门", "蒸发器风扇", "主控板", "温控器",
                   "制冰机", "照明灯", "门开关", "排水口"],
     ["冷藏不冷", "冷冻室结霜", "压缩机不停机", "异响", "漏水", "显示屏乱码", "门关不严"]),
    ("HW", "热水器", ["加热管", "镁棒", "温控器", "漏电保护插头", "混水阀", "安全阀", "内胆", "水流传感器",
                     "点火针", "燃气比例阀", "风机", "火焰检测针"],
     ["不出热水", "漏电跳闸", "水温忽高忽低", "点火失败", "漏水", "出水有异味"]),
    ("DW", "洗碗机", ["进水阀", "排水泵", "喷淋臂", "加热管", "过滤网", "水位开关", "门锁", "软水器", "洗涤泵"],
     ["洗不干净", "不进水", "不排水", "漏水", "有残渣", "烘干效果差"]),
    ("WM", "洗衣机", ["电机", "排水泵", "进水阀", "门锁", "减震器", "轴承", "皮带", "变频板", "水位传感器", "内筒"],
     ["不脱水", "震动大", "不进水", "门打不开", "漏水", "衣物有污渍"]),
    ("AP", "空气净化器", ["HEPA 滤网", "活性炭层", "风机", "PM2.5 传感器", "负离子发生器", "主控板"],
     ["风量变小", "异味", "指示灯常亮", "噪音大", "数值不变"]),
    ("RC", "电饭煲", ["发热盘", "温控器", "内胆", "密封圈", "限压阀", "电源板"],
     ["煮饭夹生", "溢锅", "不加热", "保温失灵", "显示 E 代码"]),
]

MODELS = []
for _prefix, _name, _parts, _symptoms in FAMILIES:
    for _n in (100, 120, 150, 200, 220, 300, 350, 500, 600, 800):
        MODELS.append((f"{_prefix}-{_n}", _name, _parts, _symptoms))

ERROR_CODES = [f"E{n:02d}" for n in range(1, 60)] + [f"F{n}" for n in range(10)] + \
    [f"H{n}" for n in range(1, 10)] + [f"P{n}" for n in range(10)] + [f"LE-{n}" for n in range(1, 20)]

PLACES = ["室外机", "室内机", "控制面板", "进水口", "出水口", "机身背部", "底座", "门体", "电源插座", "接线端子",
          "穿墙孔", "排水口", "顶盖", "侧板", "风道", "储水箱"]
VERBS = ["检查", "更换", "清洗", "测量", "确认", "记录", "拆下", "紧固", "复位", "调整", "拍照上传", "重新安装",
         "用万用表测量", "用压力表测量", "目视检查", "断电后检查", "对照铭牌核对"]
STATES = ["松动", "老化", "堵塞", "短路", "断路", "漏水", "异响", "结霜", "变形", "烧蚀", "氧化", "积灰", "开裂",
          "接触不良", "阻值偏大", "电压偏低", "卡死", "受潮"]
MEASURES = ["运行电流", "静态压力", "运行低压", "绝缘电阻", "供电电压", "出风温度", "进出水温差", "排气温度",
            "线圈阻值", "水压", "转速"]
ROLES = ["工程师", "客服", "网点主管", "技术支持", "质检员", "仓库管理员", "回访专员", "客服主管", "售后经理"]
CUSTOMERS = ["客户", "用户", "老人家", "租户", "物业", "经销商", "安装师傅"]
CHANNELS_ZH = ["热线", "线上商城", "微信公众号", "门店", "电商平台", "短信"]
TIMES = ["2 小时", "4 小时", "24 小时", "48 小时", "3 个工作日", "7 个工作日", "15 天", "30 分钟", "一个月"]
FEELINGS = ["着急", "不满", "担心", "失望", "生气", "困惑", "焦虑"]
ACTIONS = ["退货", "换货", "维修", "补偿", "上门检测", "返厂维修", "延保", "退款"]
TAGS = ["制冷", "制热", "冷媒", "电气", "漏水", "噪音", "安装", "保修", "三包", "时效", "投诉处理", "电话沟通",
        "上门服务", "工单", "安全", "配件", "电商", "退换货", "服务礼仪", "回访", "培训", "质检", "备件", "物流",
        "燃气", "水路", "软件", "网络", "遥控", "显示"]
OWNERS = ["技术支持组 张工", "售后服务部 王经理", "客服中心 李敏", "电商客服组 赵倩", "质量管理部 陈静",
          "培训组 刘老师", "备件中心 孙伟", "网点管理组 周强"]
COMPLAINTS = ["货不对版", "运输损坏", "安装延误", "维修超时", "服务态度", "重复维修", "收费争议", "配件缺货",
              "虚假宣传", "退款延迟", "上门爽约", "噪音扰民"]
METRICS = ["报修首次答复", "市区上门", "郊县上门", "在线咨询首次回复", "投诉首次答复", "投诉办结", "配件维修完成",
           "返厂维修完成", "回访完成", "退换货审核", "安装预约确认", "紧急工单派单"]
TOOLS = ["万用表", "压力表", "检漏仪", "扭矩扳手", "扩口器", "真空泵", "电烙铁", "验电笔", "绝缘电阻表",
         "钳形电流表", "内六角扳手", "工单终端", "防护垫布", "鞋套"]
SAFETY = ["断电后再拆机", "高处作业系好安全带", "燃气设备先关总阀", "焊接前确认通风", "进入客户家中穿鞋套并铺垫布",
          "拆卸电容前先放电", "搬运重物两人配合"]

TEMPLATES = [
    "{cust}反映{model}{sym}，{place}附近可以看到{part}{state}的痕迹。",
    "{role}到场后应先{verb}{part}，并把{measure}记录在工单中。",
    "如果{measure}明显偏离正常范围，基本可以判断是{part}{state}所致。",
    "出现{code}时，{model}会自动停机保护，{cust}重新开机后往往还能短暂运行。",
    "按近一年的维修记录统计，约{pct}的{sym}问题与{part}有关。",
    "处理前要向{cust}说明原因、费用和预计时间，不要只说“坏了”。",
    "{part}{state}多发生在使用{years}年以上、{env}的机器上。",
    "{role}需要在{time}内{verb}{part}，超时的工单会自动升级到{role2}。",
    "对{feel}的{cust}，先表示理解，再说明下一步安排，语气要平稳。",
    "如果{cust}要求{action}，先核对购买凭证和保修状态，再按规定办理。",
    "{place}的{part}拆下后，要{verb}接口是否{state}，必要时一并更换。",
    "试机至少运行{mins}分钟，确认{measure}稳定后再请{cust}签字。",
    "同一台机器{days}天内第二次报修的，按重复维修处理，由{role}跟进。",
    "更换下来的{part}要贴上工单号，按备件旧件回收流程寄回。",
    "通过{chan}报修的工单占比约{pct}，其中{sym}最多。",
    "{model}的{part}与{model2}不通用，领料时一定要{verb}型号。",
    "遇到{code}不要急于更换主控板，先{verb}{part}和线束插头。",
    "{role}完成维修后{time}内填写故障原因、处理方法和用料。",
    "如果现场无法修复，转入配件维修流程，并告知{cust}{time}内完成。",
    "安装时{part}的位置偏差超过 {mm} 毫米，容易导致{sym}。",
    "在潮湿或沿海地区，{part}更容易{state}，巡检周期应缩短。",
    "{cust}情绪{feel}时，不要争辩，先记录诉求，再约定回复时间。",
    "质检抽查发现，{sym}的误判多半是没有{verb}{measure}。",
    "更换{part}后需要{verb}{part2}，否则可能在几天内再次{state}。",
    "报修时请{cust}提供机身条码、购买日期和故障照片，便于判断是否在保。",
    "{model}在{env}的环境中运行，{measure}会比标准值偏高一些，属于正常现象。",
    "所有上门服务都应提前{mins}分钟电话确认，迟到必须主动说明并致歉。",
    "{role}每周汇总{sym}的案例，反馈给研发和质量管理部。",
]
ENVS = ["高温高湿", "粉尘较多", "供电不稳", "水质较硬", "通风不良", "沿海盐雾", "北方干燥", "老旧小区"]

SECTION_TITLES_FAULT = ["现象", "环境", "原因", "处理", "预防"]
SECTION_TITLES_PLAYBOOK = ["典型场景", "原因分析", "处理技巧", "预防措施", "升级与时限"]

KINDS = [
    # kind, folder, id prefix, share
    ("fault_case", "fault-cases", "FC", 0.40),
    ("procedure", "procedures", "PR", 0.20),
    ("script", "scripts", "SC", 0.15),
    ("playbook", "playbooks", "PB", 0.14),
    ("standard", "standards", "ST", 0.08),
    ("page", "guides", "GD", 0.03),
]
PLAIN_FOLDERS = {"fault_case": "faults", "procedure": "howto", "script": "wording", "playbook": "complaints",
                 "standard": "rules", "page": "guides"}


_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


def cjk_len(text: str) -> int:
    return len(_CJK.findall(text))


SLOT_FILLERS = {
    "cust": lambda g, m: g.pick(CUSTOMERS), "model": lambda g, m: m[0], "model2": lambda g, m: g.pick(MODELS)[0],
    "sym": lambda g, m: g.pick(m[3]), "place": lambda g, m: g.pick(PLACES), "part": lambda g, m: g.pick(m[2]),
    "part2": lambda g, m: g.pick(m[2]), "state": lambda g, m: g.pick(STATES), "role": lambda g, m: g.pick(ROLES),
    "role2": lambda g, m: g.pick(ROLES), "verb": lambda g, m: g.pick(VERBS),
    "measure": lambda g, m: g.pick(MEASURES), "code": lambda g, m: g.pick(ERROR_CODES),
    "pct": lambda g, m: f"{5 + int(g.r.random() * 75)}%", "years": lambda g, m: 1 + int(g.r.random() * 8),
    "env": lambda g, m: g.pick(ENVS), "time": lambda g, m: g.pick(TIMES), "feel": lambda g, m: g.pick(FEELINGS),
    "action": lambda g, m: g.pick(ACTIONS), "mins": lambda g, m: g.pick((5, 10, 15, 20, 30)),
    "days": lambda g, m: g.pick((7, 15, 30, 90)), "chan": lambda g, m: g.pick(CHANNELS_ZH),
    "mm": lambda g, m: 2 + int(g.r.random() * 28),
}


class Slots(dict):
    """Fills a template's slots on demand: only the slots a template names cost a draw."""

    def __init__(self, g: "Gen", model):
        super().__init__()
        self.g = g
        self.m = model

    def __missing__(self, key):
        value = SLOT_FILLERS[key](self.g, self.m)
        self[key] = value
        return value


class Gen:
    def __init__(self, rng: random.Random, linkable: list, faults: list, plain: bool):
        self.r = rng
        # Link targets: never a draft (a build without --drafts leaves them out).
        self.linkable = linkable
        self.faults = faults
        self.plain = plain
        self.self_id = None

    # --- words -----------------------------------------------------------------
    def pick(self, seq):
        return seq[int(self.r.random() * len(seq))]

    def sentence(self, model) -> str:
        return self.pick(TEMPLATES).format_map(Slots(self, model))

    def paragraph(self, model, chars: int) -> str:
        out = []
        n = 0
        while n < chars:
            s = self.sentence(model)
            if self.r.random() < 0.12:
                s = s[:-1] + "，" + self.link() + "。"
            out.append(s)
            # Wide characters (Han and Chinese punctuation) are 3 bytes in UTF-8:
            # a cheap stand-in for cjk_len().
            n += (len(s.encode("utf-8")) - len(s)) // 2
        return "".join(out)

    # --- links ----------------------------------------------------------------
    def link(self, target=None, heading=False) -> str:
        a = target or self.pick(self.linkable)
        while a["id"] == self.self_id:  # a self-link is a warning (W0106)
            a = self.pick(self.linkable)
        if self.plain:
            if self.r.random() < 0.5:
                return f"[{a['title']}](/{a['plain_folder']}/{a['id']}.md)"
            return f"[{a['title']}]({a['plain_rel_from']})"
        if heading and a["kind"] == "fault_case":
            return f"[[{a['id']}#原因]]"
        form = self.r.random()
        if form < 0.5:
            return f"[[{a['id']}]]"
        if form < 0.85:
            return f"[[{a['id']}|{a['title'][:12]}]]"
        return f"[{a['title'][:10]}](../{a['folder']}/{a['id']}.md)"

    # --- blocks -----------------------------------------------------------------
    def table(self, model, rows: int) -> str:
        lines = ["| 原因 | 占比 | 判断要点 |", "| --- | --- | --- |"]
        for _ in range(rows):
            lines.append(f"| {self.pick(model[2])}{self.pick(STATES)} | 约 {self.r.randrange(3, 60)}% | "
                         f"{self.pick(VERBS)}{self.pick(MEASURES)}，{self.pick(PLACES)}有{self.pick(STATES)}迹象 |")
        return "\n".join(lines)

    def bullets(self, model, n: int, task=False) -> str:
        mark = "- [ ] " if task else "- "
        return "\n".join(mark + self.sentence(model)[:-1] for _ in range(n))

    def numbered(self, model, n: int) -> str:
        out = []
        for i in range(1, n + 1):
            s = f"**{self.pick(VERBS)}{self.pick(model[2])}**：" + self.sentence(model)
            if self.r.random() < 0.25:
                s = s[:-1] + "，参考 " + self.link() + "。"
            out.append(f"{i}. {s}")
        return "\n".join(out)

    def alert(self, model) -> str:
        kind = self.pick(["WARNING", "TIP", "IMPORTANT", "NOTE"])
        return f"> [!{kind}]\n> {self.sentence(model)}{self.sentence(model)}"

    # --- articles -------------------------------------------------------------
    def body(self, a) -> str:
        r = self.r
        model = a["model"]
        target = a["length"]
        kind = a["kind"]
        # Blocks take roughly a fixed share; paragraphs fill the rest.
        if kind == "fault_case":
            share = [0.15, 0.1, 0.3, 0.3, 0.15]
            parts = []
            for title, s in zip(SECTION_TITLES_FAULT, share):
                chunk = max(40, int(target * s))
                parts.append(f"## {title}\n")
                if title == "环境":
                    parts.append(self.bullets(model, r.randrange(3, 6)) + "\n")
                    chunk -= 60
                elif title == "原因":
                    parts.append(self.table(model, r.randrange(3, 6)) + "\n")
                    chunk -= 80
                elif title == "处理":
                    parts.append(f"按 {self.link()} 执行，关键动作如下：\n")
                    parts.append(self.numbered(model, r.randrange(3, 8)) + "\n")
                    chunk -= 200
                elif title == "预防":
                    parts.append(self.bullets(model, r.randrange(2, 5), task=True) + "\n")
                    if self.faults:
                        parts.append(f"同类问题的原因可对照 {self.link(self.pick(self.faults), heading=True)}。\n")
                    chunk -= 60
                if chunk > 0:
                    parts.append(self.paragraphs(model, chunk))
                if title == "处理" and r.random() < 0.6:
                    parts.append(self.alert(model) + "\n")
            return "\n".join(parts)
        if kind == "procedure":
            steps = r.randrange(4, 13)
            parts = ["## 适用范围\n", self.paragraphs(model, int(target * 0.15)),
                     "## 时限要求\n", self.sla_table(), "",
                     "## 步骤\n", self.numbered(model, steps) + "\n",
                     "## 注意事项\n", self.alert(model) + "\n",
                     self.paragraphs(model, max(60, int(target * 0.5) - steps * 40)),
                     "## 常见问题\n", self.paragraphs(model, int(target * 0.2))]
            return "\n".join(parts)
        if kind == "script":
            parts = ["## 使用说明\n", self.paragraphs(model, int(target * 0.2))]
            n = max(2, min(8, target // 400))
            for i in range(n):
                parts.append(f"## 场景 {i + 1}：{self.pick(model[3])}\n")
                parts.append("```say\n" + self.sentence(model) + self.sentence(model) + "\n```\n")
                if r.random() < 0.5:
                    parts.append("```avoid\n" + self.pick(AVOID) + "\n```\n")
                parts.append(self.paragraphs(model, int(target * 0.7 / n)))
            return "\n".join(parts)
        if kind == "playbook":
            share = [0.1, 0.25, 0.35, 0.2, 0.1]
            parts = []
            for title, s in zip(SECTION_TITLES_PLAYBOOK, share):
                chunk = max(40, int(target * s))
                parts.append(f"## {title}\n")
                if title == "典型场景":
                    parts.append(self.bullets(model, r.randrange(2, 5)) + "\n")
                    chunk -= 60
                elif title == "原因分析":
                    parts.append(self.table(model, r.randrange(3, 6)) + "\n")
                    chunk -= 80
                elif title == "处理技巧":
                    parts.append(self.numbered(model, r.randrange(3, 7)) + "\n")
                    chunk -= 180
                elif title == "预防措施":
                    parts.append(self.bullets(model, r.randrange(3, 6)) + "\n")
                    chunk -= 80
                if chunk > 0:
                    parts.append(self.paragraphs(model, chunk))
            return "\n".join(parts)
        if kind == "standard":
            parts = ["## 适用范围\n", self.paragraphs(model, int(target * 0.2)),
                     "## 时限\n", self.sla_table(), "",
                     "## 条款\n", self.numbered(model, r.randrange(4, 10)) + "\n",
                     "## 考核\n", self.paragraphs(model, int(target * 0.5))]
            return "\n".join(parts)
        # plain page: a glossary-like guide
        parts = ["## 概述\n", self.paragraphs(model, int(target * 0.4)),
                 "## 要点\n", self.bullets(model, r.randrange(3, 7)) + "\n",
                 "## 说明\n", self.paragraphs(model, int(target * 0.5))]
        return "\n".join(parts)

    def paragraphs(self, model, chars: int) -> str:
        out = []
        while chars > 0:
            size = min(chars, self.r.randrange(120, 320))
            out.append(self.paragraph(model, size) + "\n")
            chars -= size
        return "\n".join(out)

    def sla_table(self) -> str:
        lines = ["| 环节 | 普通工单 | 紧急工单 |", "| --- | --- | --- |"]
        for _ in range(self.r.randrange(2, 6)):
            lines.append(f"| {self.pick(METRICS)} | {self.pick(TIMES)}内 | {self.pick(TIMES)}内 |")
        return "\n".join(lines)


AVOID = ["这个问题我不清楚，您自己看看说明书吧。", "师傅什么时候去我也不知道，您等通知就行。",
         "这肯定是您自己用坏的。", "我们的产品从来不会出这种问题。", "您再等等吧，我也没办法。",
         "这不归我们管，您找商家去。"]


def yaml_list(items) -> str:
    return "[" + ", ".join(items) + "]"


def front_matter(g: Gen, a) -> str:
    r = g.r
    model = a["model"]
    if g.plain:
        return f"---\ntitle: {a['title']}\nsummary: {a['summary']}\n---\n"
    lines = ["---", f"title: {a['title']}", f"id: {a['id']}"]
    if a["kind"] != "page":
        lines.append(f"kind: {a['kind']}")
    lines.append(f"summary: {a['summary']}")
    lines.append(f"tags: {yaml_list(sorted(set(r.sample(TAGS, r.randrange(1, 4)))))}")
    if a["kind"] == "page":
        lines.append("---")
        return "\n".join(lines) + "\n"
    products = sorted({model[0]} | {g.pick(MODELS)[0] for _ in range(r.randrange(0, 3))})
    lines.append(f"products: {yaml_list(products)}")
    lines.append(f"audience: {yaml_list(sorted(r.sample(['trainee', 'engineer', 'trainer'], r.randrange(1, 3))))}")
    lines.append(f"status: {a['status']}")
    major = r.randrange(1, 4)
    minor = r.randrange(0, 10)
    lines.append(f'version: "{major}.{minor}"')
    y, m, d = 2025 + r.randrange(0, 2), r.randrange(1, 13), r.randrange(1, 29)
    lines.append(f"updated: {y}-{m:02d}-{d:02d}")
    lines.append(f"review_by: {y + 1}-{m:02d}-{d:02d}")
    lines.append(f"owner: {g.pick(OWNERS)}")
    related = []
    for _ in range(r.randrange(2, 6)):
        t = g.pick(g.linkable)
        if t["id"] != a["id"] and t["id"] not in related:
            related.append(t["id"])
    lines.append(f"related: {yaml_list(related)}")
    lines.append(f"weight: {r.randrange(1, 100)}")
    kind = a["kind"]
    if kind == "fault_case":
        codes = sorted(set(r.sample(ERROR_CODES, r.randrange(1, 3))))
        lines += [f"error_codes: {yaml_list(codes)}",
                  f"symptoms: {yaml_list(sorted(set(r.sample(model[3], r.randrange(1, 4)))))}",
                  f"category: {g.pick(['hardware', 'hardware', 'software', 'network', 'usage'])}",
                  f"severity: {g.pick(['low', 'medium', 'medium', 'high', 'critical'])}",
                  f"parts: {yaml_list(sorted(set(r.sample(model[2], r.randrange(1, 4)))))}"]
    elif kind == "procedure":
        unit = g.pick(["minutes", "hours", "days", "working_days"])
        lines += [f"time_limit: {{ value: {r.randrange(1, 60)}, unit: {unit} }}",
                  f"tools: {yaml_list(sorted(set(r.sample(TOOLS, r.randrange(1, 5)))))}",
                  f"parts: {yaml_list(sorted(set(r.sample(model[2], r.randrange(1, 3)))))}",
                  f"safety: {yaml_list(sorted(set(r.sample(SAFETY, r.randrange(1, 3)))))}"]
    elif kind == "script":
        lines += [f"channel: {g.pick(['phone', 'online', 'in_person', 'written'])}",
                  f"scenario: {g.pick(CUSTOMERS)}{g.pick(['第二次来电询问进度', '要求退货', '投诉上门迟到', '咨询保修政策', '反映维修后复发'])}"]
    elif kind == "playbook":
        lines += [f"complaint_type: {g.pick(COMPLAINTS)}",
                  "escalation:",
                  f'  - {{ after: "{r.choice([12, 24, 48])}h", to: 客服主管 }}',
                  f'  - {{ after: "{r.choice([72, 96])}h", to: 售后经理 }}',
                  f'response_time: "{r.choice([1, 2, 4, 8])}h"',
                  f'resolution_time: "{r.choice([3, 5, 7, 10])}wd"']
    elif kind == "standard":
        lines.append("sla:")
        for metric in r.sample(METRICS, r.randrange(2, 6)):
            unit = g.pick(["minutes", "hours", "days", "working_days"])
            lines.append(f"  - {{ metric: {metric}, target: {r.randrange(1, 72)}, unit: {unit} }}")
    if r.random() < 0.5:
        lines.append("changelog:")
        lines.append(f'  - {{ version: "{major}.{minor}", date: {y}-{m:02d}-{d:02d}, note: "{g.sentence(model)[:-1][:30]}" }}')
        lines.append(f'  - {{ version: "1.0", date: {y - 1}-{m:02d}-{d:02d}, note: "首次发布" }}')
    lines.append("---")
    return "\n".join(lines) + "\n"


TITLE_FORMS = {
    "fault_case": ["{model} {app}{sym}，面板显示 {code}", "{model} {app}{sym}的判断与处理", "{model} 报 {code}：{part}{state}"],
    "procedure": ["{part}更换流程（{model}）", "{app}{verb}{part}作业规范", "{app}上门{action}流程"],
    "script": ["{cust}来电反映{app}{sym}", "{cust}要求{action}时的沟通话术", "{app}{sym}回访话术"],
    "playbook": ["{complaint}投诉处理（{app}）", "{app}{complaint}升级处理手册", "{cust}投诉{complaint}的应对"],
    "standard": ["{app}{metric}时限标准", "{app}{action}服务规范", "{part}旧件回收标准"],
    "page": ["{app}常用术语：{part}", "{app}{part}知识要点", "{model} 产品说明摘要"],
}


def make_title(rng: random.Random, kind: str, model, serial: int) -> str:
    tpl = TITLE_FORMS[kind][rng.randrange(3)]
    t = tpl.format(model=model[0], app=model[1], sym=rng.choice(model[3]), code=rng.choice(ERROR_CODES),
                   part=rng.choice(model[2]), state=rng.choice(STATES), verb=rng.choice(VERBS[:8]),
                   action=rng.choice(ACTIONS), cust=rng.choice(CUSTOMERS), complaint=rng.choice(COMPLAINTS),
                   metric=rng.choice(METRICS))
    return f"{t}（{serial}）"


def plan(n: int, seed: int):
    """Ids, kinds, titles, lengths: everything links need, decided before any body."""
    rng = random.Random(seed)
    counts = []
    left = n
    for i, (kind, folder, prefix, share) in enumerate(KINDS):
        c = left if i == len(KINDS) - 1 else max(1, round(n * share))
        c = min(c, left)
        counts.append(c)
        left -= c
    articles = []
    for (kind, folder, prefix, _), count in zip(KINDS, counts):
        for i in range(1, count + 1):
            model = rng.choice(MODELS)
            aid = f"{prefix}-{i:05d}"
            title = make_title(rng, kind, model, i)
            # 300..5000 Chinese characters, log-uniform: most articles are short.
            length = int(math.exp(rng.uniform(math.log(300), math.log(5000))))
            roll = rng.random()
            status = "published"
            if roll < 0.01:
                status = "draft"
            elif roll < 0.04:
                status = "review"
            elif roll < 0.06:
                status = "archived"
            articles.append({
                "id": aid, "kind": kind, "folder": folder, "title": title, "model": model, "length": length,
                "status": status, "draft": status == "draft",
                # Nested by product family: `faults/XR`.
                "plain_folder": f"{PLAIN_FOLDERS[kind]}/{model[0].split('-')[0]}",
                "plain_rel_from": f"../../{PLAIN_FOLDERS[kind]}/{model[0].split('-')[0]}/{aid}.md",
            })
    return articles


HUGO_TOML = """baseURL = "https://kb.example/"
languageCode = "zh-CN"
defaultContentLanguage = "zh"
title = "售后服务知识库（基准）"
hasCJKLanguage = true
disableKinds = ["taxonomy", "term", "RSS"]
[markup.goldmark.renderer]
unsafe = false
[markup.tableOfContents]
startLevel = 2
endLevel = 3
"""

HUGO_BASEOF = """<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav></header>
<main data-pagefind-body>{{ block "main" . }}{{ end }}</main>
<footer>{{ .Site.Title }}</footer>
</body></html>
"""

HUGO_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p class="summary">{{ .Params.summary }}</p>
<nav class="toc">{{ .TableOfContents }}</nav>
{{ .Content }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</article>{{ end }}
"""

HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>{{ end }}
"""

SVCBOOK_TOML = """# Generated by bench/gen_corpus.py: a synthetic after-sales knowledge base.
title = "售后服务知识库（基准）"
description = "bench/gen_corpus.py 生成的合成知识库。"
language = "zh-CN"
base_url = "https://kb.example/"

[search]
synonyms = ["退货 = 退款", "保修 = 质保 = 三包", "师傅 = 工程师 = 技师", "不制冷 = 不凉", "噪音 = 异响"]
"""


def write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(n: int, seed: int, plain: bool, out: str) -> dict:
    articles = plan(n, seed)
    # Bodies come from their own stream per article, so one article's text does not
    # depend on how many random draws the others took: editing the generator for one
    # kind leaves the others' text unchanged.
    if os.path.exists(out):
        shutil.rmtree(out)
    content = os.path.join(out, "content")
    os.makedirs(content)
    linkable = [a for a in articles if not a["draft"]]
    faults = [a for a in linkable if a["kind"] == "fault_case"]
    total_chars = 0
    total_bytes = 0
    folders = set()
    for a in articles:
        rng = random.Random(f"{seed}:{a['id']}")
        g = Gen(rng, linkable, faults, plain)
        g.self_id = a["id"]
        a["summary"] = (g.sentence(a["model"]) + g.sentence(a["model"]))[:-1]
        body = g.body(a)
        fm = front_matter(g, a)
        folder = a["plain_folder"] if plain else a["folder"]
        d = os.path.join(content, folder)
        if d not in folders:
            os.makedirs(d, exist_ok=True)
            folders.add(d)
        text = fm + "\n" + body.rstrip("\n") + "\n"
        write(os.path.join(d, f"{a['id']}.md"), text)
        total_chars += cjk_len(body)
        total_bytes += len(text.encode("utf-8"))
    if plain:
        write(os.path.join(out, "hugo.toml"), HUGO_TOML)
        layouts = os.path.join(out, "layouts", "_default")
        os.makedirs(layouts)
        write(os.path.join(layouts, "baseof.html"), HUGO_BASEOF)
        write(os.path.join(layouts, "single.html"), HUGO_SINGLE)
        write(os.path.join(layouts, "list.html"), HUGO_LIST)
        write(os.path.join(out, "layouts", "index.html"), HUGO_LIST)
        for kind, folder in PLAIN_FOLDERS.items():
            write(os.path.join(content, folder, "_index.md"), f"---\ntitle: {folder}\n---\n")
        for sub in sorted({a["plain_folder"] for a in articles}):
            family = sub.split("/")[1]
            write(os.path.join(content, sub, "_index.md"), f"---\ntitle: {family} 系列\nweight: 1\n---\n\n{family} 系列产品的文档。\n")
        write(os.path.join(content, "_index.md"), "---\ntitle: 售后服务知识库（基准）\n---\n\n合成的纯文档语料。\n")
    else:
        write(os.path.join(out, "svcbook.toml"), SVCBOOK_TOML)
        write(os.path.join(content, "_index.md"), "合成的售后服务知识库，供 `bench/run` 测量构建和搜索速度。\n")
    summary = {"articles": n, "seed": seed, "plain": plain, "cjk_chars": total_chars, "bytes": total_bytes,
               "drafts": 0 if plain else sum(a["draft"] for a in articles)}
    write(os.path.join(out, "corpus.json"), repr_json(summary))
    return summary


def repr_json(d: dict) -> str:
    import json
    return json.dumps(d, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, required=True)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--plain", action="store_true", help="title + summary front matter only, plus a Hugo layout")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    if args.articles < 10:
        p.error("--articles must be at least 10")
    s = generate(args.articles, args.seed, args.plain, args.out)
    print(repr_json(s), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
