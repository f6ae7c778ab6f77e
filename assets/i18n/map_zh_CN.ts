<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>HallMap</name>
    <message>
        <source>WC</source>
        <translation>卫生间</translation>
    </message>
    <message>
        <source>Café</source>
        <translation>咖啡厅</translation>
    </message>
    <message>
        <source>EXIT</source>
        <translation>出口</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>台阶</translation>
    </message>
    <message>
        <source>You are here</source>
        <translation>您在这里</translation>
    </message>
</context>
</TS>
