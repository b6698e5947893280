<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChatPanel</name>
    <message>
        <location filename="../../ui/chat_panel.py" line="39"/>
        <source>Web chat</source>
        <translation>网页聊天</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="40"/>
        <source>Voice</source>
        <translation>语音</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="41"/>
        <source>Email</source>
        <translation>邮件</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="42"/>
        <source>Store visit</source>
        <translation>门店到访</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="107"/>
        <source>Close conversation</source>
        <translation>结束会话</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="108"/>
        <source>Close this conversation (Ctrl+Shift+W)</source>
        <translation>结束此会话（Ctrl+Shift+W）</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="128"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="161"/>
        <source>Unknown conversation</source>
        <translation>未知会话</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="174"/>
        <source>You closed this conversation.</source>
        <translation>您已结束此会话。</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="175"/>
        <source>The customer closed this conversation.</source>
        <translation>客户已结束此会话。</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="176"/>
        <source>This conversation was closed.</source>
        <translation>此会话已结束。</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="202"/>
        <source>The customer is typing…</source>
        <translation>客户正在输入…</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="214"/>
        <source>This message is too long (at most {0} characters).</source>
        <translation>消息过长（最多 {0} 个字符）。</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../ui/chat_view.py" line="253"/>
        <source>Copy text</source>
        <translation>复制文字</translation>
    </message>
    <message>
        <location filename="../../ui/chat_view.py" line="257"/>
        <source>Send again</source>
        <translation>重新发送</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../ui/chat_panel.py" line="66"/>
        <source>Type a reply — Enter to send, Shift+Enter for a new line</source>
        <translation>输入回复 — Enter 发送，Shift+Enter 换行</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="69"/>
        <source>Type a reply — Ctrl+Enter to send</source>
        <translation>输入回复 — Ctrl+Enter 发送</translation>
    </message>
</context>
<context>
    <name>ConnectionIndicator</name>
    <message>
        <location filename="../../ui/status_widgets.py" line="86"/>
        <source>Starting the local hub…</source>
        <translation>正在启动本地服务…</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="88"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="90"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="94"/>
        <source>Offline — retrying in {0} s</source>
        <translation>离线 — {0} 秒后重试</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="96"/>
        <source>Offline — retrying…</source>
        <translation>离线 — 正在重试…</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="99"/>
        <source>Signed out — please sign in again</source>
        <translation>已退出登录 — 请重新登录</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="101"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <location filename="../../ui/customer_panel.py" line="34"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="35"/>
        <source>Email</source>
        <translation>邮件</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="36"/>
        <source>Web visitor</source>
        <translation>网站访客</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="37"/>
        <source>External id</source>
        <translation>外部编号</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="114"/>
        <source>The customer of the selected conversation appears here.</source>
        <translation>所选会话的客户资料显示在这里。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="144"/>
        <source>Language: {0}</source>
        <translation>语言：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="147"/>
        <source>Contact points</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="149"/>
        <source>None known</source>
        <translation>暂无</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="162"/>
        <source>Recent conversations</source>
        <translation>近期会话</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="165"/>
        <source>This is the first conversation.</source>
        <translation>这是该客户的第一次会话。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="176"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="178"/>
        <source>closed</source>
        <translation>已结束</translation>
    </message>
</context>
<context>
    <name>DesktopApp</name>
    <message>
        <location filename="../../desktop/app.py" line="119"/>
        <source>The local hub did not start: {0}</source>
        <translation>本地服务未能启动：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="210"/>
        <source>No system keyring: you will need to sign in again next time.</source>
        <translation>系统没有可用的密钥环：下次启动时需要重新登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="240"/>
        <source>Your session has expired. Please sign in again.</source>
        <translation>登录已过期，请重新登录。</translation>
    </message>
</context>
<context>
    <name>InboxDelegate</name>
    <message>
        <location filename="../../ui/inbox_view.py" line="190"/>
        <source>You: {0}</source>
        <translation>我：{0}</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login_dialog.py" line="39"/>
        <source>Sign in — Zuoxi</source>
        <translation>登录 — 坐席</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="43"/>
        <source>Sign in to your contact center</source>
        <translation>登录您的客服中心</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="51"/>
        <source>e.g. lina</source>
        <translation>例如 lina</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="56"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="57"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="58"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="63"/>
        <location filename="../../ui/login_dialog.py" line="92"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="92"/>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="111"/>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="113"/>
        <source>Your session has expired. Please sign in again.</source>
        <translation>登录已过期，请重新登录。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="115"/>
        <source>Too many attempts. Please wait a minute and try again.</source>
        <translation>尝试次数过多，请稍等一分钟再试。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="117"/>
        <source>The server address is not valid (example: https://hub.example.com).</source>
        <translation>服务器地址无效（例如：https://hub.example.com）。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="119"/>
        <source>Cannot reach the server. Check the address and your network.</source>
        <translation>无法连接服务器，请检查地址和网络。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="121"/>
        <source>The server answered unexpectedly. Please try again later.</source>
        <translation>服务器返回了意外的响应，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="123"/>
        <source>Sign-in failed.</source>
        <translation>登录失败。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="124"/>
        <source>Something went wrong: {0}</source>
        <translation>出现错误：{0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="57"/>
        <source>Inbox</source>
        <translation>收件箱</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="74"/>
        <source>Pick a conversation in the inbox.
New chats appear there as they arrive.</source>
        <translation>请在收件箱中选择一个会话。
新的对话到达时会出现在那里。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="138"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="140"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="143"/>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="144"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="146"/>
        <source>&amp;Conversation</source>
        <translation>会话(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="147"/>
        <source>&amp;Next conversation</source>
        <translation>下一个会话(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="149"/>
        <source>&amp;Previous conversation</source>
        <translation>上一个会话(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="151"/>
        <source>Focus the &amp;reply box</source>
        <translation>转到回复框(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="154"/>
        <source>&amp;Close conversation</source>
        <translation>结束会话(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="156"/>
        <source>Close &amp;tab</source>
        <translation>关闭标签页(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="159"/>
        <source>&amp;Presence</source>
        <translation>状态(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="160"/>
        <source>&amp;Available</source>
        <translation>空闲(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="162"/>
        <source>A&amp;way</source>
        <translation>离开(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="164"/>
        <source>&amp;Offline</source>
        <translation>离线(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="167"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="169"/>
        <source>Open the customer chat page</source>
        <translation>打开客户聊天页面</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="204"/>
        <source>A message could not be sent ({0}). Double-click it to retry.</source>
        <translation>有一条消息未能发送（{0}）。双击该消息可重试。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="205"/>
        <source>The conversation could not be closed ({0}).</source>
        <translation>会话未能结束（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="206"/>
        <source>Your presence could not be changed ({0}).</source>
        <translation>状态未能更改（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="213"/>
        <source>Zuoxi</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="246"/>
        <source>Close tab (the conversation stays open)</source>
        <translation>关闭标签页（会话保持进行中）</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="315"/>
        <source>Customer chat page: {0}</source>
        <translation>客户聊天页面：{0}</translation>
    </message>
</context>
<context>
    <name>PresenceSelector</name>
    <message>
        <location filename="../../ui/status_widgets.py" line="120"/>
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="121"/>
        <source>Away</source>
        <translation>离开</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="122"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="128"/>
        <source>Your presence: new conversations are routed to available agents</source>
        <translation>您的状态：新会话只分配给空闲的坐席</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings_dialog.py" line="40"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="44"/>
        <source>Enter sends, Shift+Enter adds a line</source>
        <translation>Enter 发送，Shift+Enter 换行</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="45"/>
        <source>Ctrl+Enter sends, Enter adds a line</source>
        <translation>Ctrl+Enter 发送，Enter 换行</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="50"/>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="54"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="55"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="59"/>
        <source>Empty: run a local hub on this computer</source>
        <translation>留空：在本机运行本地服务</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="62"/>
        <source>Sending</source>
        <translation>发送方式</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="63"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="64"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="65"/>
        <source>Hub address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="67"/>
        <source>Language and hub address take effect the next time Zuoxi starts.</source>
        <translation>语言和服务器地址将在下次启动坐席时生效。</translation>
    </message>
</context>
<context>
    <name>TimeText</name>
    <message>
        <location filename="../../ui/time_text.py" line="29"/>
        <source>{0} s</source>
        <translation>{0} 秒</translation>
    </message>
    <message>
        <location filename="../../ui/time_text.py" line="31"/>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/time_text.py" line="33"/>
        <source>{0} h</source>
        <translation>{0} 小时</translation>
    </message>
    <message>
        <location filename="../../ui/time_text.py" line="34"/>
        <source>{0} d</source>
        <translation>{0} 天</translation>
    </message>
    <message>
        <location filename="../../ui/time_text.py" line="47"/>
        <source>Yesterday {0}</source>
        <translation>昨天 {0}</translation>
    </message>
</context>
</TS>
