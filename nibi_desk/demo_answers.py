"""Answers for the demo inspection history: plausible passing values per item, and failures with their fixes."""

from __future__ import annotations

import random
from datetime import date
from typing import Any
from nibi_desk.inspection.form import Form

CLEAR_DAY = {1: 4, 2: 7, 3: 12, 4: 18, 5: 23, 6: 27, 7: 30, 8: 29, 9: 25, 10: 19, 11: 12, 12: 6}  # mean °C
DEVICE_FAULTS = {"lighting": "照明灯具不亮", "camera": "挂载摄像机离线", "micro_cell": "5G微站设备告警",
                 "sensors": "环境传感器无数据", "screen": "信息屏黑屏", "broadcast": "广播无声",
                 "emergency_call": "一键报警按钮无响应", "charger": "充电桩故障停用"}

# Failures per template item: (weight, value or function(rng, asset) -> value, note, what the rectification did).
FAILURES: dict[str, dict[str, tuple]] = {
    "camera": {
        "online": (4, "offline", "平台显示离线，光纤收发器无信号", "更换光纤收发器，设备恢复在线"),
        "image_clear": (5, lambda rng, a: rng.choice(("blurred", "blocked", "black")), "画面异常，影响取证",
                        "清洁镜头、修剪遮挡树枝并检修补光，画面恢复清晰"),
        "angle": (3, False, "监控角度偏移，未覆盖路口", "重新调整云台角度并锁紧"),
        "time_offset_s": (2, lambda rng, a: rng.choice((1, -1)) * rng.randint(45, 600), "设备时间与平台偏差过大",
                          "重新配置NTP校时"),
        "housing": (2, False, "护罩破损，有进水痕迹", "更换护罩并做防水处理"),
        "box_closed": (2, False, "设备箱门未锁闭", "更换箱门锁具"),
        "label": (2, False, "点位标识牌缺失", "补装点位标识牌"),
    },
    "smart_pole": {
        "pole_body": (2, False, "杆体局部锈蚀，涂层脱落", "除锈并重新喷涂"),
        "foundation": (1, False, "基础松动，地脚螺栓外露", "加固基础并紧固地脚螺栓"),
        "cabin_closed": (2, False, "仓门未关闭", "更换仓门锁扣"),
        "gateway": (3, "offline", "智能网关离线", "更换网关电源模块，恢复在线"),
        "power_distribution": (2, False, "配电单元空开跳闸", "排查漏电点并恢复供电"),
        "lightning_protection": (1, False, "防雷模块失效指示", "更换防雷模块"),
        "grounding_ohm": (2, lambda rng, a: round(rng.uniform(10.5, 16.0), 1), "接地电阻超标", "增设接地极，复测合格"),
        "handhole": (2, False, "手孔井盖破损", "更换手孔井盖"),
        "faulty_devices": (4, lambda rng, a: [rng.choice(sorted(set(a["functions"]) & set(DEVICE_FAULTS)))],
                           "挂载设备故障", "维修挂载设备，功能恢复"),
        "labels": (2, False, "杆体编号牌脱落", "补装编号牌"),
    },
    "base_station": {
        "tower_body": (1, False, "塔身局部锈蚀", "除锈补漆"),
        "tower_bolts": (2, False, "塔脚螺栓松动", "紧固塔脚螺栓并加装防松螺母"),
        "lightning_rod": (1, False, "避雷针倾斜", "校正并加固避雷针"),
        "grounding_ohm": (2, lambda rng, a: round(rng.uniform(10.5, 15.0), 1), "接地电阻超标", "补打接地极，复测合格"),
        "antenna_mount": (2, False, "天线抱杆松动", "紧固抱杆抱箍"),
        "feeder_entry": (2, False, "馈线窗封堵不严", "重新封堵馈线窗"),
        "cabinet_lock": (2, False, "机柜门锁损坏", "更换机柜门锁"),
        "cabinet_temp": (2, lambda rng, a: round(rng.uniform(41.0, 48.0), 1), "机柜温度过高，空调停机",
                         "维修机柜空调，温度恢复正常"),
        "mains": (1, lambda rng, a: rng.choice(("generator", "battery")), "市电中断，临时供电", "恢复市电接入"),
        "backup_minutes": (2, lambda rng, a: rng.randint(35, 100), "蓄电池容量衰减，后备时长不足", "更换蓄电池组"),
        "alarms": (2, lambda rng, a: [rng.choice(("door_alarm", "power_alarm", "temperature_alarm"))], "动环告警未消除",
                   "排除告警源，告警已消除"),
        "signage": (1, False, "警示标识缺失", "补装警示标识"),
        "cleanliness": (2, "poor", "站内杂物堆积", "清理站内杂物"),
    },
}


def _passing(f, asset: dict, rng: random.Random, day: date) -> Any:
    """A plausible passing answer ({value} / {na} / None to leave an optional item empty)."""
    attrs, key = asset["attrs"], f.key
    if asset["type"] == "camera":
        if key == "column":
            return {"na": True} if attrs.get("mounting") == "wall" else {"value": True}
        if key == "night_lighting" and rng.random() < 0.2:
            return {"na": True}
        if key == "time_offset_s":
            return {"value": rng.randint(-8, 8)}
    if asset["type"] == "smart_pole":
        if key == "smart_lock" and not attrs.get("cabin", True):
            return {"na": True}
        if key == "grounding_ohm":
            return {"value": min(9.6, max(0.4, round(attrs.get("grounding_ohm", 2.0) + rng.gauss(0, 0.25), 1)))}
    if asset["type"] == "base_station":
        site = attrs.get("site_type")
        if key == "grounding_ohm":
            return {"value": round(rng.uniform(0.8, 6.5), 1)}
        if key == "antenna_tilt":
            return {"na": True} if site == "indoor" else {"value": round(rng.uniform(2.0, 9.0), 1)}
        if key == "cabinet_temp":
            return {"value": round(min(39.0, max(-4.0, CLEAR_DAY[day.month] + rng.uniform(-2, 8))), 1)}
        if key == "backup_minutes":
            minutes = attrs.get("backup_minutes", 120)
            return {"na": True} if minutes < 120 else {"value": max(120, round(minutes * rng.uniform(0.9, 1.05)))}
        if key == "fence" and site != "macro_tower":
            return {"na": True}
        if key == "cleanliness":
            return {"value": "good" if rng.random() < 0.7 else "fair"}
    if f.kind == "text":
        return {"value": rng.choice(("运行正常", "现场整洁", "设备完好"))} if rng.random() < 0.3 else None
    if not f.required and f.kind != "photo":
        return None
    return _generic_pass(f)


def _generic_pass(f) -> Any:
    if f.kind == "pass_fail":
        return {"value": True}
    if f.kind == "number":
        lows = [v for v in (f.min, f.pass_min) if v is not None]
        highs = [v for v in (f.max, f.pass_max) if v is not None]
        low = max(lows) if lows else 0
        high = min(highs) if highs else low + 10
        return {"value": round((low + high) / 2, f.decimals or 0)}
    if f.kind == "choice":
        return {"value": next(o.value for o in f.options if not o.fails)}
    if f.kind == "multi":
        return {"value": []}
    return None


def _fail_options(form: Form, asset: dict) -> list[tuple[str, tuple]]:
    keys = {f.key for f in form.fields}
    out = []
    for item, spec in FAILURES.get(asset["type"], {}).items():
        if item not in keys:
            continue
        if item == "faulty_devices" and not set(asset["functions"]) & set(DEVICE_FAULTS):
            continue
        out.append((item, spec))
    return out


def _fail_value(rng: random.Random, spec: tuple, asset: dict, f) -> tuple[Any, str]:
    _weight, value, note, _fix = spec
    value = value(rng, asset) if callable(value) else value
    if f.kind == "multi":
        note = "、".join(DEVICE_FAULTS.get(v, f.option(v).title("zh_CN") if f.option(v) else v) for v in value)
    elif f.kind == "choice" and f.option(value) is not None and f.key == "image_clear":
        note = f"画面{f.option(value).title('zh_CN')}"
    return value, note
