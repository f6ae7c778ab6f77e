<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CapturePanel</name>
    <message>
        <source>Add notes</source>
        <translation>添加备注</translation>
    </message>
</context>
<context>
    <name>LeadEditor</name>
    <message>
        <source>✓ Note saved</source>
        <translation>✓ 备注已保存</translation>
    </message>
    <message>
        <source>‹ Leads</source>
        <translation>‹ 潜在客户</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>评级</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Your note</source>
        <translation>您的备注</translation>
    </message>
    <message>
        <source>What did you talk about? What should happen next?</source>
        <translation>你们谈了什么？下一步做什么？</translation>
    </message>
    <message>
        <source>Save note</source>
        <translation>保存备注</translation>
    </message>
    <message>
        <source>Delete lead</source>
        <translation>删除潜在客户</translation>
    </message>
    <message>
        <source>Yes, delete</source>
        <translation>确认删除</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Contact details</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>First scanned %1 by %2</source>
        <translation>首次扫描：%1，扫描设备：%2</translation>
    </message>
    <message>
        <source>Scanned %1 times; last change %2</source>
        <translation>已扫描 %1 次；最近修改 %2</translation>
    </message>
    <message>
        <source>Not shared: this attendee did not agree to share contact details.</source>
        <translation>未提供：该参会者未同意分享联系方式。</translation>
    </message>
    <message>
        <source>Notes from your other devices</source>
        <translation>您其他设备上的备注</translation>
    </message>
    <message>
        <source>Delete the lead for %1? Its notes, rating and tags go too.</source>
        <translation>删除 %1 这条潜在客户吗？其备注、评级和标签也将一并删除。</translation>
    </message>
    <message>
        <source>this device (%1)</source>
        <translation>本设备（%1）</translation>
    </message>
    <message>
        <source>this device</source>
        <translation>本设备</translation>
    </message>
</context>
<context>
    <name>LeadExportPage</name>
    <message>
        <source>USB stick: %1</source>
        <translation>U 盘：%1</translation>
    </message>
    <message>
        <source>Home folder: %1</source>
        <translation>主文件夹：%1</translation>
    </message>
    <message>
        <source>Export leads</source>
        <translation>导出潜在客户</translation>
    </message>
    <message>
        <source>‹ Up</source>
        <translation>‹ 上一级</translation>
    </message>
    <message>
        <source>Look for USB sticks again</source>
        <translation>重新查找 U 盘</translation>
    </message>
    <message>
        <source>Export here</source>
        <translation>导出到此处</translation>
    </message>
    <message>
        <source>Back to leads</source>
        <translation>返回潜在客户</translation>
    </message>
    <message>
        <source>Choose where to save: plug in a USB stick, then tap it.</source>
        <translation>请选择保存位置：插入 U 盘后点击它。</translation>
    </message>
    <message>
        <source>Save in: %1</source>
        <translation>保存到：%1</translation>
    </message>
    <message>
        <source>Writing the files…</source>
        <translation>正在写入文件…</translation>
    </message>
    <message>
        <source>%1 leads saved to:
%2</source>
        <translation>已将 %1 条潜在客户保存到：
%2</translation>
    </message>
    <message>
        <source>1 lead saved to:
%2</source>
        <translation>已将 1 条潜在客户保存到：
%2</translation>
    </message>
    <message>
        <source>Could not save the leads here: %1</source>
        <translation>无法在此处保存潜在客户：%1</translation>
    </message>
</context>
<context>
    <name>LeadTags</name>
    <message>
        <source>wants demo</source>
        <translation>想要演示</translation>
    </message>
    <message>
        <source>decision maker</source>
        <translation>决策者</translation>
    </message>
    <message>
        <source>follow up</source>
        <translation>跟进</translation>
    </message>
    <message>
        <source>send quote</source>
        <translation>发送报价</translation>
    </message>
    <message>
        <source>partner</source>
        <translation>合作伙伴</translation>
    </message>
    <message>
        <source>hot</source>
        <translation>重点</translation>
    </message>
</context>
<context>
    <name>LeadsScreen</name>
    <message>
        <source>Lead saved</source>
        <translation>已保存潜在客户</translation>
    </message>
    <message>
        <source>Lead updated</source>
        <translation>潜在客户已更新</translation>
    </message>
    <message>
        <source>You already had this lead; scanned %1 times now.</source>
        <translation>该潜在客户已存在；现已扫描 %1 次。</translation>
    </message>
    <message>
        <source>Event staff badge</source>
        <translation>活动工作人员证件</translation>
    </message>
    <message>
        <source>This is a member of the event staff, not a visitor: no lead saved.</source>
        <translation>这是活动工作人员，不是访客：未保存潜在客户。</translation>
    </message>
    <message>
        <source>Exhibitor badge</source>
        <translation>展商证件</translation>
    </message>
    <message>
        <source>This is an exhibitor&apos;s badge, not a visitor: no lead saved. You can change this in the lead settings.</source>
        <translation>这是展商证件，不是访客：未保存潜在客户。可在潜在客户设置中更改。</translation>
    </message>
    <message>
        <source>Not linked to an exhibitor</source>
        <translation>尚未绑定展商</translation>
    </message>
    <message>
        <source>No lead saved: ask the event staff to enrol this device for your company.</source>
        <translation>未保存线索：请联系活动工作人员将本设备登记到贵公司名下。</translation>
    </message>
    <message>
        <source>No lead saved. The visitor can have the badge checked at the registration desk.</source>
        <translation>未保存潜在客户。访客可到登记台核查证件。</translation>
    </message>
    <message>
        <source>A PIN is 4 to 12 digits.</source>
        <translation>PIN 为 4 到 12 位数字。</translation>
    </message>
    <message>
        <source>The two PINs differ. Choose the PIN again.</source>
        <translation>两次输入的 PIN 不一致，请重新设置。</translation>
    </message>
    <message>
        <source>No exhibitor PIN is set on this device.</source>
        <translation>此设备未设置展商 PIN。</translation>
    </message>
    <message>
        <source>The stored PIN is damaged; ask the event staff.</source>
        <translation>已存储的 PIN 已损坏，请联系活动工作人员。</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>PIN 错误。</translation>
    </message>
    <message>
        <source>Exhibitor PIN</source>
        <translation>展商 PIN</translation>
    </message>
    <message>
        <source>Added to your leads. Tap &quot;Add notes&quot; to rate and tag it.</source>
        <translation>已加入您的潜在客户。点击“添加备注”进行评级和标记。</translation>
    </message>
    <message>
        <source>%1 of 1 lead</source>
        <translation>%1 / 1 个潜在客户</translation>
    </message>
    <message>
        <source>1 lead</source>
        <translation>1 条潜在客户</translation>
    </message>
    <message>
        <source>Staff PIN</source>
        <translation>工作人员 PIN</translation>
    </message>
    <message>
        <source>Choose the exhibitor PIN</source>
        <translation>设置展商 PIN</translation>
    </message>
    <message>
        <source>Enter the new PIN again</source>
        <translation>请再次输入新 PIN</translation>
    </message>
    <message>
        <source>Lead capture</source>
        <translation>潜在客户采集</translation>
    </message>
    <message>
        <source>Leads of %1. Enter your exhibitor PIN to scan and see leads.</source>
        <translation>%1 的潜在客户。输入展商 PIN 后即可扫描和查看。</translation>
    </message>
    <message>
        <source>No exhibitor PIN is set yet. Event staff: enter the staff PIN to set one up.</source>
        <translation>尚未设置展商 PIN。请活动工作人员输入工作人员 PIN 进行设置。</translation>
    </message>
    <message>
        <source>4 to 12 digits. Your booth staff will unlock this device with it.</source>
        <translation>4 到 12 位数字。展位人员将用它解锁本设备。</translation>
    </message>
    <message>
        <source>To make sure it was typed right.</source>
        <translation>以确认输入无误。</translation>
    </message>
    <message>
        <source>This device is not bound to an exhibitor. Enrol it for an exhibitor first.</source>
        <translation>此设备尚未绑定展商。请先为展商注册本设备。</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in %1 s.</source>
        <translation>PIN 错误次数过多。请在 %1 秒后重试。</translation>
    </message>
    <message>
        <source>Locked: enter the exhibitor PIN to capture leads.</source>
        <translation>已锁定：请输入展商 PIN 后再采集潜在客户。</translation>
    </message>
    <message>
        <source>No leads yet. Scan a visitor&apos;s badge to save the first one.</source>
        <translation>还没有潜在客户。扫描访客证件即可保存第一条。</translation>
    </message>
    <message>
        <source>No lead matches the search or the tag.</source>
        <translation>没有符合搜索或标签的潜在客户。</translation>
    </message>
    <message>
        <source>%1 of %2 leads</source>
        <translation>%1 / %2 条潜在客户</translation>
    </message>
    <message>
        <source>%1 leads</source>
        <translation>%1 条潜在客户</translation>
    </message>
    <message>
        <source>Lead deleted.</source>
        <translation>潜在客户已删除。</translation>
    </message>
    <message>
        <source>Leads · %1</source>
        <translation>潜在客户 · %1</translation>
    </message>
    <message>
        <source>No camera: scan with the USB scanner.</source>
        <translation>无摄像头：请使用 USB 扫描枪扫描。</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Tags…</source>
        <translation>标签…</translation>
    </message>
    <message>
        <source>Search name, organisation, notes</source>
        <translation>搜索姓名、单位、备注</translation>
    </message>
    <message>
        <source>Newest</source>
        <translation>最新</translation>
    </message>
    <message>
        <source>Best rated</source>
        <translation>评级最高</translation>
    </message>
</context>
<context>
    <name>TagChips</name>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
</context>
<context>
    <name>TagSettingsPage</name>
    <message>
        <source>Lead settings</source>
        <translation>潜在客户设置</translation>
    </message>
    <message>
        <source>The tags you can give a lead. Tap one and &quot;Remove&quot; to take it off the list.</source>
        <translation>可用于潜在客户的标签。点击一个标签后按“移除”即可将其删除。</translation>
    </message>
    <message>
        <source>New tag, e.g. wants demo</source>
        <translation>新标签，例如：需要演示</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Also save event staff and exhibitor badges as leads</source>
        <translation>活动工作人员和展商证件也保存为潜在客户</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
</TS>
