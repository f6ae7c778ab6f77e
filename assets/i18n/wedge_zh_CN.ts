<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>WedgeFilter</name>
    <message>
        <source>The scanner&apos;s keyboard layout differs from this computer&apos;s: set both to the same layout (US is safest). The code read was {code}</source>
        <translation>扫描枪的键盘布局与本机不同：请将两者设为相同的布局（美式最稳妥）。读到的代码：{code}</translation>
    </message>
</context>
</TS>
