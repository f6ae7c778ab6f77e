<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AdminScreen</name>
    <message>
        <source>%1 (near %2)</source>
        <translation>%1（靠近%2）</translation>
    </message>
    <message>
        <source>The hall plan names no kiosk positions.</source>
        <translation>展馆平面图中没有自助机位置。</translation>
    </message>
    <message>
        <source>Current staff PIN</source>
        <translation>当前工作人员 PIN</translation>
    </message>
    <message>
        <source>New staff PIN (4 to 12 digits)</source>
        <translation>新的工作人员 PIN（4 到 12 位数字）</translation>
    </message>
    <message>
        <source>New exhibitor PIN (4 to 12 digits)</source>
        <translation>新的展商 PIN（4 到 12 位数字）</translation>
    </message>
    <message>
        <source>New staff PIN again</source>
        <translation>再次输入新的工作人员 PIN</translation>
    </message>
    <message>
        <source>New exhibitor PIN again</source>
        <translation>再次输入新的展商 PIN</translation>
    </message>
    <message>
        <source>A PIN is 4 to 12 digits.</source>
        <translation>PIN 为 4 到 12 位数字。</translation>
    </message>
    <message>
        <source>Staff PIN changed.</source>
        <translation>工作人员 PIN 已更改。</translation>
    </message>
    <message>
        <source>Exhibitor PIN changed.</source>
        <translation>展商 PIN 已更改。</translation>
    </message>
    <message>
        <source>The two new PINs differ. Enter the new PIN again.</source>
        <translation>两次输入的新 PIN 不一致，请重新输入新 PIN。</translation>
    </message>
    <message>
        <source>The current PIN is wrong.</source>
        <translation>当前 PIN 不正确。</translation>
    </message>
    <message>
        <source>&quot;You are here&quot; on the hall plan</source>
        <translation>平面图上的“您在这里”</translation>
    </message>
    <message>
        <source>Change staff PIN</source>
        <translation>更改工作人员 PIN</translation>
    </message>
    <message>
        <source>Change exhibitor PIN</source>
        <translation>更改展商 PIN</translation>
    </message>
    <message>
        <source>No printer: save a PDF in the print folder</source>
        <translation>无打印机：在打印文件夹中保存 PDF</translation>
    </message>
    <message>
        <source>On: attendees print their own badge here</source>
        <translation>开：参会者在此自助打印胸卡</translation>
    </message>
    <message>
        <source>Off: this kiosk prints no badges</source>
        <translation>关：本机不打印胸卡</translation>
    </message>
    <message>
        <source>%1 seconds</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in %1 s.</source>
        <translation>PIN 错误次数过多。请在 %1 秒后重试。</translation>
    </message>
    <message>
        <source>No staff PIN is set on this kiosk.</source>
        <translation>此终端未设置工作人员 PIN。</translation>
    </message>
    <message>
        <source>The stored PIN is damaged; set it again from the command line.</source>
        <translation>已存储的 PIN 已损坏，请通过命令行重新设置。</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>PIN 错误。</translation>
    </message>
    <message>
        <source>Staff PIN</source>
        <translation>工作人员 PIN</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Kiosk settings</source>
        <translation>终端设置</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Check-in point</source>
        <translation>签到点</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Camera (index or video file)</source>
        <translation>摄像头（编号或视频文件）</translation>
    </message>
    <message>
        <source>Default language</source>
        <translation>默认语言</translation>
    </message>
    <message>
        <source>Idle reset after</source>
        <translation>闲置重置时间</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Self-service badges</source>
        <translation>自助打印胸卡</translation>
    </message>
    <message>
        <source>Attendee kiosk</source>
        <translation>参会者自助终端</translation>
    </message>
    <message>
        <source>Check-in desk</source>
        <translation>签到台</translation>
    </message>
    <message>
        <source>Exhibitor</source>
        <translation>展商</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>入场</translation>
    </message>
    <message>
        <source>Exit</source>
        <translation>离场</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Leave kiosk mode</source>
        <translation>退出终端模式</translation>
    </message>
</context>
<context>
    <name>AttendeePanel</name>
    <message>
        <source>Check in by hand</source>
        <translation>手动签到</translation>
    </message>
    <message>
        <source>Print badge</source>
        <translation>打印胸卡</translation>
    </message>
    <message>
        <source>Yes, check in</source>
        <translation>确认签到</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Checked in at %1</source>
        <translation>签到时间：%1</translation>
    </message>
    <message>
        <source>Exit recorded at %1</source>
        <translation>已于 %1 登记离场</translation>
    </message>
    <message>
        <source>Record exit by hand</source>
        <translation>手动登记离场</translation>
    </message>
    <message>
        <source>No exit recorded here yet</source>
        <translation>此处尚未登记离场</translation>
    </message>
    <message>
        <source>Not checked in yet</source>
        <translation>尚未签到</translation>
    </message>
    <message>
        <source>Badge printed once, at %1</source>
        <translation>胸卡已打印 1 次，时间：%1</translation>
    </message>
    <message>
        <source>Badge printed %2 times, last at %1</source>
        <translation>胸卡已打印 %2 次，最近一次：%1</translation>
    </message>
    <message>
        <source>No badge printed at the desk yet</source>
        <translation>签到台尚未打印过胸卡</translation>
    </message>
    <message>
        <source>Check in %1 by hand?</source>
        <translation>为 %1 手动签到？</translation>
    </message>
</context>
<context>
    <name>BadgePrinter</name>
    <message>
        <source>Printing a new badge needs the server; it is not reachable.</source>
        <translation>打印新胸卡需要连接服务器，但服务器目前无法连接。</translation>
    </message>
    <message>
        <source>The server did not issue a new badge: %1</source>
        <translation>服务器未能签发新胸卡：%1</translation>
    </message>
</context>
<context>
    <name>CountsPanel</name>
    <message>
        <source>%1 of %2 checked in</source>
        <translation>已签到 %1 / %2</translation>
    </message>
    <message>
        <source>Arrivals in the last 15 minutes: %1</source>
        <translation>最近 15 分钟到场：%1</translation>
    </message>
</context>
<context>
    <name>DeskScreen</name>
    <message>
        <source>Asking the central server…</source>
        <translation>正在查询中央服务器…</translation>
    </message>
    <message>
        <source>The central server is not reachable, and this desk has no record of the code.</source>
        <translation>无法连接中央服务器，本服务台也没有此编码的记录。</translation>
    </message>
    <message>
        <source>Duplicates after sync: %1</source>
        <translation>同步后发现重复签到：%1</translation>
    </message>
    <message>
        <source>Nothing to undo: this desk has no check-in yet.</source>
        <translation>无可撤销：本签到台还没有签到记录。</translation>
    </message>
    <message>
        <source>Undo the check-in of %1?</source>
        <translation>撤销 %1 的签到？</translation>
    </message>
    <message>
        <source>Yes, undo</source>
        <translation>确定撤销</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Nothing was undone: this desk&apos;s last check-in has changed. Tap &quot;Undo last check-in&quot; again.</source>
        <translation>未撤销任何记录：本签到台的上一次签到已变化。请再次点击“撤销上一次签到”。</translation>
    </message>
    <message>
        <source>Badge reprinted (print %1) to %2</source>
        <translation>胸卡已补打（第 %1 次）：%2</translation>
    </message>
    <message>
        <source>Badge printed to %2</source>
        <translation>胸卡已打印：%2</translation>
    </message>
    <message>
        <source>The badge could not be printed: %1</source>
        <translation>胸卡打印失败：%1</translation>
    </message>
    <message>
        <source>Scanning for: %1</source>
        <translation>当前签到点：%1</translation>
    </message>
    <message>
        <source>Search name, organisation, pinyin or code</source>
        <translation>搜索姓名、单位、拼音或编码</translation>
    </message>
    <message>
        <source>Check code</source>
        <translation>核验编码</translation>
    </message>
    <message>
        <source>Undo last check-in</source>
        <translation>撤销上一次签到</translation>
    </message>
    <message>
        <source>No attendee found. Check the spelling or try the code.</source>
        <translation>未找到参会者。请检查拼写或尝试编码。</translation>
    </message>
    <message>
        <source>No camera: scan with the USB scanner or type the code.</source>
        <translation>无摄像头：请使用 USB 扫码枪或输入编码。</translation>
    </message>
</context>
<context>
    <name>HandoffPanel</name>
    <message>
        <source>Open attendee</source>
        <translation>打开参会者</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Hand-off code %1</source>
        <translation>转交码 %1</translation>
    </message>
    <message>
        <source>No scan with this code was found</source>
        <translation>未找到使用此编码的扫描记录</translation>
    </message>
    <message>
        <source>Check the characters with the visitor, or scan the code on the kiosk&apos;s screen.</source>
        <translation>请与访客核对字符，或扫描自助机屏幕上的二维码。</translation>
    </message>
    <message>
        <source>Not a known attendee</source>
        <translation>非已登记的参会者</translation>
    </message>
    <message>
        <source>★ VIP guest</source>
        <translation>★ 贵宾</translation>
    </message>
    <message>
        <source>Needs attention: %1</source>
        <translation>需要关注：%1</translation>
    </message>
    <message>
        <source>Where: %1, %2</source>
        <translation>地点：%1，%2</translation>
    </message>
    <message>
        <source>When: %1</source>
        <translation>时间：%1</translation>
    </message>
    <message>
        <source>From the central server</source>
        <translation>来自中央服务器</translation>
    </message>
    <message>
        <source>From this desk&apos;s records</source>
        <translation>来自本服务台的记录</translation>
    </message>
</context>
<context>
    <name>IdleWarning</name>
    <message>
        <source>Still there?</source>
        <translation>还在使用吗？</translation>
    </message>
    <message>
        <source>This screen starts over in %1 s. Touch the screen to carry on.</source>
        <translation>%1 秒后本屏幕将重新开始。触摸屏幕即可继续使用。</translation>
    </message>
</context>
<context>
    <name>KioskApp</name>
    <message>
        <source>No staff PIN is set: settings cannot be opened.</source>
        <translation>未设置工作人员 PIN：无法打开设置。</translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation>设置已保存。</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>Forum Kiosk</source>
        <translation>论坛自助终端</translation>
    </message>
</context>
<context>
    <name>PreviewLabel</name>
    <message>
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
    <message>
        <source>No camera found — scan with the USB scanner or type the code</source>
        <translation>未找到摄像头——请使用 USB 扫码枪扫描或输入编码</translation>
    </message>
    <message>
        <source>Camera disconnected — reconnecting… You can scan with the USB scanner or type the code</source>
        <translation>摄像头已断开，正在重新连接……您可以使用 USB 扫码枪扫描或输入编码</translation>
    </message>
    <message>
        <source>No camera found — scan your badge with the scanner, or ask the staff</source>
        <translation>未找到摄像头——请用扫码器扫描您的胸卡，或联系工作人员</translation>
    </message>
    <message>
        <source>Camera disconnected — reconnecting… You can scan your badge with the scanner, or ask the staff</source>
        <translation>摄像头已断开——正在重新连接…… 您可以用扫码器扫描胸卡，或联系工作人员</translation>
    </message>
    <message>
        <source>The video has ended</source>
        <translation>视频已播放完毕</translation>
    </message>
    <message>
        <source>Camera off</source>
        <translation>摄像头已关闭</translation>
    </message>
</context>
<context>
    <name>RecentScans</name>
    <message>
        <source>code %1</source>
        <translation>二维码 %1</translation>
    </message>
    <message>
        <source>Recent scans at this desk</source>
        <translation>本服务台最近的扫描</translation>
    </message>
    <message>
        <source>No scans at this desk yet.</source>
        <translation>本服务台尚无扫描记录。</translation>
    </message>
    <message>
        <source>Check-in undone</source>
        <translation>签到已撤销</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无姓名）</translation>
    </message>
</context>
<context>
    <name>RolePicker</name>
    <message>
        <source>What is this kiosk for?</source>
        <translation>这台终端用于什么？</translation>
    </message>
    <message>
        <source>Choose once; staff can change it later in the settings.</source>
        <translation>只需选择一次；工作人员之后可在设置中更改。</translation>
    </message>
    <message>
        <source>Attendee kiosk
map, agenda, self check-in</source>
        <translation>参会者自助终端
地图、日程、自助签到</translation>
    </message>
    <message>
        <source>Check-in desk
staff scan and search</source>
        <translation>签到台
工作人员扫码与搜索</translation>
    </message>
    <message>
        <source>Exhibitor
lead capture at a booth</source>
        <translation>展商
展位线索采集</translation>
    </message>
</context>
<context>
    <name>Services</name>
    <message>
        <source>Exit</source>
        <translation>离场</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>入场</translation>
    </message>
    <message>
        <source>No event loaded</source>
        <translation>未加载活动</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <source>Switch language</source>
        <translation>切换语言</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>1 record waiting</source>
        <translation>1 条记录待同步</translation>
    </message>
    <message>
        <source>%1 records waiting</source>
        <translation>%1 条记录待同步</translation>
    </message>
</context>
<context>
    <name>VerdictCard</name>
    <message>
        <source>★ VIP guest</source>
        <translation>★ 贵宾</translation>
    </message>
    <message>
        <source>Needs attention: %1</source>
        <translation>需要关注：%1</translation>
    </message>
    <message>
        <source>Check-in undone</source>
        <translation>签到已撤销</translation>
    </message>
    <message>
        <source>Checked out</source>
        <translation>已签出</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>签到成功</translation>
    </message>
    <message>
        <source>Already checked in</source>
        <translation>已签到过</translation>
    </message>
    <message>
        <source>Badge not recognised</source>
        <translation>无法识别此胸卡</translation>
    </message>
    <message>
        <source>Badge not valid</source>
        <translation>胸卡无效</translation>
    </message>
    <message>
        <source>Badge cancelled</source>
        <translation>胸卡已作废</translation>
    </message>
    <message>
        <source>Badge for another event</source>
        <translation>非本活动胸卡</translation>
    </message>
    <message>
        <source>Not admitted here</source>
        <translation>无权进入此处</translation>
    </message>
    <message>
        <source>Lead saved</source>
        <translation>线索已保存</translation>
    </message>
    <message>
        <source>Lead updated</source>
        <translation>线索已更新</translation>
    </message>
    <message>
        <source>The last check-in of this desk was cancelled.</source>
        <translation>本签到台最近一次签到已撤销。</translation>
    </message>
    <message>
        <source>Goodbye, and thank you for coming.</source>
        <translation>再见，感谢您的光临。</translation>
    </message>
    <message>
        <source>Welcome! Please go ahead.</source>
        <translation>欢迎！请进。</translation>
    </message>
    <message>
        <source>This badge was already used to enter. Check the person&apos;s ID before letting them in.</source>
        <translation>此胸卡已入场过。请先核对此人的证件再放行。</translation>
    </message>
    <message>
        <source>Not a badge of this event — search by name or check the code.</source>
        <translation>不是本次活动的胸卡——请按姓名搜索或核对二维码。</translation>
    </message>
    <message>
        <source>Do not admit on this badge. Check the person&apos;s ID and search by name.</source>
        <translation>不能凭此胸卡入场。请核对此人的证件并按姓名搜索。</translation>
    </message>
    <message>
        <source>This badge is no longer valid. Search the person by name; print a new badge if they are registered.</source>
        <translation>此胸卡已失效。请按姓名搜索此人；如已注册，请打印新胸卡。</translation>
    </message>
    <message>
        <source>A badge of another event. Search the person by name.</source>
        <translation>这是其他活动的胸卡。请按姓名搜索此人。</translation>
    </message>
    <message>
        <source>This badge type is not admitted here. Tell the person where they may go.</source>
        <translation>此胸卡类型不能在此入场。请告知此人可以前往的地方。</translation>
    </message>
    <message>
        <source>The contact was added to your leads.</source>
        <translation>该联系人已加入您的线索。</translation>
    </message>
    <message>
        <source>You already had this contact; the new scan was added to it.</source>
        <translation>您已有此联系人，本次扫描已记入。</translation>
    </message>
    <message>
        <source>Reason: reported lost</source>
        <translation>原因：已报失</translation>
    </message>
    <message>
        <source>Reason: an older badge: a new one was printed</source>
        <translation>原因：旧胸卡，已打印新胸卡</translation>
    </message>
    <message>
        <source>Reason: registration cancelled</source>
        <translation>原因：注册已取消</translation>
    </message>
    <message>
        <source>Reason: revoked by the organisers</source>
        <translation>原因：已被主办方作废</translation>
    </message>
    <message>
        <source>Reason: %1 badges are not admitted at this point</source>
        <translation>原因：%1胸卡不能从此处入场</translation>
    </message>
    <message>
        <source>Reason: the badge is for event %1</source>
        <translation>原因：此胸卡属于活动 %1</translation>
    </message>
    <message>
        <source>Reason: the code is damaged</source>
        <translation>原因：二维码已损坏</translation>
    </message>
    <message>
        <source>Reason: the signature does not match our keys</source>
        <translation>原因：签名与我们的密钥不符</translation>
    </message>
    <message>
        <source>Attendee</source>
        <translation>参会者</translation>
    </message>
    <message>
        <source>VIP</source>
        <translation>贵宾</translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation>演讲嘉宾</translation>
    </message>
    <message>
        <source>Press</source>
        <translation>媒体</translation>
    </message>
    <message>
        <source>Exhibitor</source>
        <translation>展商</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>this desk</source>
        <translation>本签到台</translation>
    </message>
    <message>
        <source>First checked in: %1 at %2</source>
        <translation>首次签到：%1，地点 %2</translation>
    </message>
    <message>
        <source>Hand-off code for the desk: %1</source>
        <translation>请向服务台出示此代码：%1</translation>
    </message>
    <message>
        <source>Tap to close</source>
        <translation>轻触关闭</translation>
    </message>
</context>
</TS>
