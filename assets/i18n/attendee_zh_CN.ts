<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AgendaPage</name>
    <message>
        <source>Now</source>
        <translation>正在进行</translation>
    </message>
    <message>
        <source>Nothing is running right now.</source>
        <translation>目前没有正在进行的日程。</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>即将开始</translation>
    </message>
    <message>
        <source>No more sessions today.</source>
        <translation>今天没有更多日程了。</translation>
    </message>
    <message>
        <source>Today&apos;s agenda</source>
        <translation>今日日程</translation>
    </message>
</context>
<context>
    <name>AttendeeScreen</name>
    <message>
        <source>Your badge could not be checked just now.</source>
        <translation>暂时无法核验您的胸卡。</translation>
    </message>
    <message>
        <source>Find exhibitors</source>
        <translation>查找展商</translation>
    </message>
    <message>
        <source>Agenda</source>
        <translation>日程</translation>
    </message>
    <message>
        <source>Self check-in</source>
        <translation>自助签到</translation>
    </message>
    <message>
        <source>Your badge</source>
        <translation>您的胸卡</translation>
    </message>
    <message>
        <source>‹ Home</source>
        <translation>‹ 首页</translation>
    </message>
</context>
<context>
    <name>BoothPanel</name>
    <message>
        <source>Finding the way…</source>
        <translation>正在规划路线…</translation>
    </message>
    <message>
        <source>‹ Back to the list</source>
        <translation>‹ 返回列表</translation>
    </message>
    <message>
        <source>Route here</source>
        <translation>带我去这里</translation>
    </message>
    <message>
        <source>Step-free</source>
        <translation>无台阶路线</translation>
    </message>
    <message>
        <source>Booth %1</source>
        <translation>展位 %1</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>%1 m · about %2 min walk</source>
        <translation>%1 米 · 步行约 %2 分钟</translation>
    </message>
    <message>
        <source>Step-free route</source>
        <translation>无台阶路线</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Welcome! What would you like to do?</source>
        <translation>欢迎！请问您需要什么服务？</translation>
    </message>
    <message>
        <source>Find exhibitors
Hall map</source>
        <translation>查找展商
展馆地图</translation>
    </message>
    <message>
        <source>Agenda
Now and next</source>
        <translation>日程
正在进行与即将开始</translation>
    </message>
    <message>
        <source>Check in
Show your badge</source>
        <translation>签到
出示您的胸卡</translation>
    </message>
</context>
<context>
    <name>MapPage</name>
    <message>
        <source>The hall map is not available on this kiosk.</source>
        <translation>本机暂无展馆地图。</translation>
    </message>
    <message>
        <source>Booth %1</source>
        <translation>展位 %1</translation>
    </message>
    <message>
        <source>All exhibitors: %1. Type a name, booth number, product or pinyin.</source>
        <translation>全部展商：%1 家。可输入名称、展位号、产品或拼音。</translation>
    </message>
    <message>
        <source>%1 found, highlighted on the map</source>
        <translation>找到 %1 家，已在地图上标出</translation>
    </message>
    <message>
        <source>Nothing found. Try fewer letters, or a booth number like A12.</source>
        <translation>没有找到。请少输入几个字，或输入展位号，例如 A12。</translation>
    </message>
    <message>
        <source>There is no step-free way to this booth. Please ask the staff for help.</source>
        <translation>没有通往该展位的无台阶路线，请向工作人员求助。</translation>
    </message>
    <message>
        <source>No route could be found to this booth. Please ask the staff for help.</source>
        <translation>找不到通往该展位的路线，请向工作人员求助。</translation>
    </message>
    <message>
        <source>Search: name, booth, product, pinyin</source>
        <translation>搜索：名称、展位号、产品、拼音</translation>
    </message>
    <message>
        <source>Whole hall</source>
        <translation>全馆</translation>
    </message>
    <message>
        <source>Drag to move, pinch or double-tap to zoom, tap a booth for details.</source>
        <translation>拖动可移动地图，双指或双击可缩放，点击展位查看详情。</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
</context>
<context>
    <name>PhoneQR</name>
    <message>
        <source>Scan with your phone to take the booth and route with you</source>
        <translation>用手机扫码，带走展位和路线信息</translation>
    </message>
</context>
<context>
    <name>RouteSteps</name>
    <message>
        <source>Walk %1 m</source>
        <translation>直行 %1 米</translation>
    </message>
    <message>
        <source>walk %1 m</source>
        <translation>直行 %1 米</translation>
    </message>
    <message>
        <source>turn left</source>
        <translation>左转</translation>
    </message>
    <message>
        <source>turn right</source>
        <translation>右转</translation>
    </message>
    <message>
        <source>bear left</source>
        <translation>向左前方走</translation>
    </message>
    <message>
        <source>bear right</source>
        <translation>向右前方走</translation>
    </message>
    <message>
        <source>booth %1 is on your left after %2 m</source>
        <translation>再走 %2 米，%1 展位在您左手边</translation>
    </message>
    <message>
        <source>booth %1 is on your right after %2 m</source>
        <translation>再走 %2 米，%1 展位在您右手边</translation>
    </message>
    <message>
        <source>booth %1 is straight ahead after %2 m</source>
        <translation>再走 %2 米，%1 展位就在正前方</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>.</source>
        <translation>。</translation>
    </message>
</context>
<context>
    <name>SelfCheckin</name>
    <message>
        <source>We could not read this as one of our badges. Please go to the registration desk and show them the code below.</source>
        <translation>无法识别此胸卡。请前往登记台，并出示下方代码。</translation>
    </message>
    <message>
        <source>This badge could not be verified. Please go to the registration desk and show them the code below.</source>
        <translation>此胸卡未能通过验证。请前往登记台，并出示下方代码。</translation>
    </message>
    <message>
        <source>This badge is no longer valid, perhaps because a new one was printed. Please go to the registration desk and show them the code below.</source>
        <translation>此胸卡已失效，可能已补打新胸卡。请前往登记台，并出示下方代码。</translation>
    </message>
    <message>
        <source>This badge is for a different event. Please go to the registration desk and show them the code below.</source>
        <translation>此胸卡属于其他活动。请前往登记台，并出示下方代码。</translation>
    </message>
    <message>
        <source>Your badge does not admit you here. Please go to the registration desk and show them the code below.</source>
        <translation>您的胸卡无权进入此处。请前往登记台，并出示下方代码。</translation>
    </message>
    <message>
        <source>Please go to the registration desk and show them the code below.</source>
        <translation>请前往登记台，并出示下方代码。</translation>
    </message>
</context>
<context>
    <name>SelfCheckinPage</name>
    <message>
        <source>Something went wrong</source>
        <translation>出了点问题</translation>
    </message>
    <message>
        <source>Please go to the registration desk.</source>
        <translation>请前往登记台。</translation>
    </message>
    <message>
        <source>Check in with your badge</source>
        <translation>用胸卡签到</translation>
    </message>
    <message>
        <source>Hold the QR code on your badge up to the camera.</source>
        <translation>请将胸卡上的二维码对准摄像头。</translation>
    </message>
    <message>
        <source>Hold the QR code on your badge under the scanner.</source>
        <translation>请将胸卡上的二维码放到扫码器下。</translation>
    </message>
    <message>
        <source>Checking your badge…</source>
        <translation>正在核验您的胸卡…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Welcome!</source>
        <translation>欢迎！</translation>
    </message>
    <message>
        <source>You are checked in. Enjoy the forum.</source>
        <translation>签到成功，祝您参会愉快。</translation>
    </message>
    <message>
        <source>Welcome back!</source>
        <translation>欢迎回来！</translation>
    </message>
    <message>
        <source>You are already checked in (since %1).</source>
        <translation>您已签到（签到时间：%1）。</translation>
    </message>
    <message>
        <source>You are already checked in.</source>
        <translation>您已签到。</translation>
    </message>
    <message>
        <source>If that was not you, please go to the registration desk.</source>
        <translation>如果不是您本人签到，请前往登记台。</translation>
    </message>
    <message>
        <source>Your hand-off code for the desk:</source>
        <translation>请向登记台出示此代码：</translation>
    </message>
    <message>
        <source>Your next sessions</source>
        <translation>您接下来的日程</translation>
    </message>
</context>
<context>
    <name>SelfPrintPage</name>
    <message>
        <source>One moment…</source>
        <translation>请稍候…</translation>
    </message>
    <message>
        <source>Staff: PIN to print another badge</source>
        <translation>工作人员：输入 PIN 码再打印一张胸卡</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>PIN 码错误。</translation>
    </message>
    <message>
        <source>Too many tries. Wait %1 seconds.</source>
        <translation>尝试次数过多，请等待 %1 秒。</translation>
    </message>
    <message>
        <source>Is this you?</source>
        <translation>这是您吗？</translation>
    </message>
    <message>
        <source>Your badge prints when you tap "This is me".</source>
        <translation>点击“是我本人”后即打印您的胸卡。</translation>
    </message>
    <message>
        <source>Your badge was printed already</source>
        <translation>您的胸卡已打印过</translation>
    </message>
    <message>
        <source>A member of staff can print another one here, or please go to the registration desk.</source>
        <translation>工作人员可以在此为您再打印一张，或请前往注册台。</translation>
    </message>
    <message>
        <source>Printing your badge…</source>
        <translation>正在打印您的胸卡…</translation>
    </message>
    <message>
        <source>Take your badge</source>
        <translation>请取走您的胸卡</translation>
    </message>
    <message>
        <source>You are checked in. Enjoy the forum.</source>
        <translation>签到成功，祝您参会愉快。</translation>
    </message>
    <message>
        <source>This kiosk cannot print just now</source>
        <translation>本机暂时无法打印</translation>
    </message>
    <message>
        <source>You are checked in. Please use the next kiosk or the registration desk for your badge.</source>
        <translation>您已签到。请到旁边的自助机或注册台领取胸卡。</translation>
    </message>
    <message>
        <source>Please go to the registration desk</source>
        <translation>请前往注册台</translation>
    </message>
    <message>
        <source>Show them the code below; they will fix your name and print your badge.</source>
        <translation>请出示下方代码，工作人员会更正您的姓名并打印胸卡。</translation>
    </message>
    <message>
        <source>The hall map shows where everything is.</source>
        <translation>展馆地图标明了各处位置。</translation>
    </message>
    <message>
        <source>Your first session: %1 at %2</source>
        <translation>您的第一场会议：%2 %1</translation>
    </message>
    <message>
        <source>This is me</source>
        <translation>是我本人</translation>
    </message>
    <message>
        <source>Not me / fix my name</source>
        <translation>不是我 / 更正姓名</translation>
    </message>
    <message>
        <source>Staff: print again</source>
        <translation>工作人员：再次打印</translation>
    </message>
    <message>
        <source>Hall map</source>
        <translation>展馆地图</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>SessionCard</name>
    <message>
        <source>Inside %1 of %2</source>
        <translation>场内 %1 / %2 人</translation>
    </message>
    <message>
        <source>Inside %1</source>
        <translation>场内 %1 人</translation>
    </message>
    <message>
        <source>Full</source>
        <translation>已满</translation>
    </message>
</context>
</TS>
