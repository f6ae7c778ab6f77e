<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ConflictList</name>
    <message>
        <source>Scan conflicts</source>
        <translation>扫描冲突</translation>
    </message>
    <message>
        <source>No conflicts: every offline scan matched the other devices.</source>
        <translation>没有冲突：所有离线扫描都与其他设备一致。</translation>
    </message>
    <message>
        <source>Mark selected as seen</source>
        <translation>将所选标记为已查看</translation>
    </message>
    <message>
        <source>Mark all as seen</source>
        <translation>全部标记为已查看</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>%1 — let in at %2 with a cancelled badge
%3 at %4; the badge was cancelled at %5 (%6)</source>
        <translation>%1 — 持已作废的胸卡在%2入场
%3 于 %4；该胸卡已于 %5 作废（%6）</translation>
    </message>
    <message>
        <source>%1 — entered twice at %2
%3 at %4, and %5 at %6 (%7)</source>
        <translation>%1 — 在%2重复入场
%3 于 %4，以及 %5 于 %6（%7）</translation>
    </message>
    <message>
        <source>already checked in</source>
        <translation>已签到</translation>
    </message>
    <message>
        <source>badge cancelled</source>
        <translation>胸卡已作废</translation>
    </message>
    <message>
        <source>reported lost</source>
        <translation>已挂失</translation>
    </message>
    <message>
        <source>an older badge: a new one was printed</source>
        <translation>旧胸卡：已补打新卡</translation>
    </message>
    <message>
        <source>registration cancelled</source>
        <translation>报名已取消</translation>
    </message>
    <message>
        <source>revoked by the organisers</source>
        <translation>已被主办方作废</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>Downloading event data</source>
        <translation>正在下载活动数据</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Stand-alone</source>
        <translation>独立运行</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n 条待上传</numerusform>
        </translation>
    </message>
    <message>
        <source>Synced %1</source>
        <translation>已同步 %1</translation>
    </message>
    <message numerus="yes">
        <source>Clock %n min off: set the time</source>
        <translation>
            <numerusform>时钟偏差 %n 分钟：请校准时间</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflicts</source>
        <translation>
            <numerusform>%n 个冲突</numerusform>
        </translation>
    </message>
    <message>
        <source>1 conflict</source>
        <translation>1 个冲突</translation>
    </message>
    <message>
        <source>Downloading %p%</source>
        <translation>正在下载 %p%</translation>
    </message>
</context>
</TS>
