<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AgentStatusBar</name>
    <message>
        <location filename="../../ui/status_widgets.py" line="155"/>
        <source>Customer chat page: {0}</source>
        <translation>客户聊天页面：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="162"/>
        <source>While you were disconnected the hub set you to {0}.</source>
        <translation>您断线期间，服务器已将您的状态设为“{0}”。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="164"/>
        <source>You missed several offers, so the hub set you to {0}.</source>
        <translation>您错过了多个分配，服务器已将您的状态设为“{0}”。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="166"/>
        <source>The hub set you to {0}.</source>
        <translation>服务器已将您的状态设为“{0}”。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="171"/>
        <source>A message could not be sent ({0}). Double-click it to retry.</source>
        <translation>有一条消息未能发送（{0}）。双击该消息可重试。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="172"/>
        <source>The conversation could not be closed ({0}).</source>
        <translation>会话未能结束（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="173"/>
        <source>Your presence could not be changed ({0}).</source>
        <translation>状态未能更改（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="174"/>
        <source>The offer could not be accepted ({0}).</source>
        <translation>未能接受该分配（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="175"/>
        <source>The offer could not be declined ({0}).</source>
        <translation>未能拒绝该分配（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="176"/>
        <source>The conversation could not be transferred ({0}).</source>
        <translation>会话未能转接（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="177"/>
        <source>The conversation could not be picked ({0}).</source>
        <translation>未能领取该会话（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="178"/>
        <source>A walk-in visit could not be recorded ({0}).</source>
        <translation>到店记录未能保存（{0}）。</translation>
    </message>
    <message>
        <source>Could not reach out to the customer ({0}).</source>
        <translation>未能主动联系客户（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/shell/status_widgets.py" line="1"/>
        <source>A follow-up could not be saved ({0}).</source>
        <translation>工单未能保存（{0}）。</translation>
    </message>
</context>
<context>
    <name>AudioSettingsDialog</name>
    <message>
        <location filename="../../ui/audio_settings.py" line="56"/>
        <source>Audio devices</source>
        <translation>音频设备</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="71"/>
        <source>Microphone level</source>
        <translation>麦克风音量</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="75"/>
        <source>Call volume</source>
        <translation>通话音量</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="76"/>
        <source>&amp;Test my audio</source>
        <translation>测试我的音频(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="77"/>
        <source>Records 3 seconds from the microphone and plays them back on the speaker.</source>
        <translation>从麦克风录制 3 秒，然后在扬声器上回放。</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="84"/>
        <source>&amp;Microphone</source>
        <translation>麦克风(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="85"/>
        <source>Level</source>
        <translation>音量</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="86"/>
        <source>&amp;Speaker</source>
        <translation>扬声器(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="87"/>
        <source>&amp;Volume</source>
        <translation>音量(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="88"/>
        <source>&amp;Ringer</source>
        <translation>铃声设备(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="118"/>
        <source>No audio device found — calls will be silent. You can still answer calls; connect a headset to talk.</source>
        <translation>未找到音频设备 — 通话将没有声音。您仍可接听来电；连接耳机即可通话。</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="121"/>
        <source>No microphone found — the customer will hear silence.</source>
        <translation>未找到麦克风 — 客户将听不到您的声音。</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="124"/>
        <source>No speaker found — you will not hear the customer or the ringtone.</source>
        <translation>未找到扬声器 — 您将听不到客户和铃声。</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="137"/>
        <source>Same as speaker</source>
        <translation>与扬声器相同</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="139"/>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="165"/>
        <location filename="../../ui/audio_settings.py" line="190"/>
        <source>The microphone could not be opened: {0}</source>
        <translation>无法打开麦克风：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="194"/>
        <source>No microphone to test.</source>
        <translation>没有可测试的麦克风。</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="197"/>
        <source>Recording 3 seconds… say something.</source>
        <translation>正在录制 3 秒… 请说话。</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="208"/>
        <source>The speaker could not be opened: {0}</source>
        <translation>无法打开扬声器：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="211"/>
        <source>Playing back what you said. If you heard nothing, check the devices above.</source>
        <translation>正在回放您刚才说的话。如果什么都没听到，请检查上面的设备。</translation>
    </message>
</context>
<context>
    <name>Banners</name>
    <message>
        <location filename="../../ui/banners.py" line="14"/>
        <source>You are offline — messages will be sent when the connection returns</source>
        <translation>您已离线 — 连接恢复后消息将自动发送</translation>
    </message>
</context>
<context>
    <name>CallDesk</name>
    <message>
        <location filename="../../ui/call/call_desk.py" line="1"/>
        <source>A call is ringing: answer or decline it before calling out.</source>
        <translation>有来电正在振铃：请先接听或拒接，再拨出电话。</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="1"/>
        <source>A call is being placed: wait until it is answered or hang it up before calling again.</source>
        <translation>正在拨出一个电话：请等待对方接听或先挂断，再拨打下一个。</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="1"/>
        <source>{0} · consulting you about {1}</source>
        <translation>{0} · 就 {1} 向您咨询</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="299"/>
        <source>The customer is not online in the web widget; calling is possible while they have it open.</source>
        <translation>客户当前不在网页聊天窗口中；客户打开窗口时才能呼叫。</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="123"/>
        <location filename="../../ui/call_desk.py" line="132"/>
        <source>That is not possible now: {0}</source>
        <translation>现在无法执行：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="126"/>
        <source>The call action failed: {0}</source>
        <translation>通话操作失败：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="140"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="157"/>
        <source>Ringing</source>
        <translation>振铃中</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="158"/>
        <source>Calling the customer…</source>
        <translation>正在呼叫客户…</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="159"/>
        <source>Connecting audio…</source>
        <translation>正在连接音频…</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="160"/>
        <source>In call</source>
        <translation>通话中</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="194"/>
        <source>Consulting — the customer is on hold</source>
        <translation>正在咨询同事 — 客户保持中</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="196"/>
        <source>Transferring the customer…</source>
        <translation>正在转接客户…</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="197"/>
        <source>Conference — all three of you talk</source>
        <translation>三方通话中</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="161"/>
        <source>On hold — the customer hears silence</source>
        <translation>保持中 — 客户听到的是静音</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="162"/>
        <source>Call ended</source>
        <translation>通话已结束</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="163"/>
        <source>Call failed</source>
        <translation>通话失败</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="167"/>
        <source>the customer muted their microphone</source>
        <translation>客户已将麦克风静音</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="171"/>
        <source>{0} call(s) on hold</source>
        <translation>{0} 个通话保持中</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="232"/>
        <source>Missed call from {0}.</source>
        <translation>{0} 的未接来电。</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="235"/>
        <source>The call with {0} could not be connected.</source>
        <translation>与 {0} 的通话未能接通。</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="270"/>
        <source>No audio device — this call will be silent. Connect a headset and choose it under File → Audio devices.</source>
        <translation>没有音频设备 — 此通话将没有声音。请连接耳机，并在“文件 → 音频设备”中选择。</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="304"/>
        <source>No audio device — the call will be silent. Connect a headset to talk.</source>
        <translation>没有音频设备 — 通话将没有声音。连接耳机即可通话。</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="335"/>
        <source>Transferring the call…</source>
        <translation>正在转接通话…</translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) on hold</source>
        <translation>
            <numerusform>%n 个通话保持中</numerusform>
        </translation>
    </message>
    <message>
        <source>no audio device: silent</source>
        <translation>没有音频设备：无声</translation>
    </message>
    <message>
        <source>&amp;Answer</source>
        <translation>接听(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Decline</source>
        <translation>拒接(&amp;D)</translation>
    </message>
    <message>
        <source>Hang &amp;up</source>
        <translation>挂断(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Mute / unmute</source>
        <translation>静音 / 取消静音(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Hold / resume</source>
        <translation>保持 / 恢复(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keypad</source>
        <translation>拨号键盘(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Call this customer</source>
        <translation>呼叫此客户(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="1"/>
        <source>{0} is listening</source>
        <translation>{0} 正在旁听</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="1"/>
        <source>{0} is coaching you (the customer cannot hear)</source>
        <translation>{0} 正在指导您（客户听不到）</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="1"/>
        <source>{0} has joined the call</source>
        <translation>{0} 已加入通话</translation>
    </message>
    <message>
        <source>recording</source>
        <translation>正在录音</translation>
    </message>
    <message>
        <source>Start / stop &amp;recording</source>
        <translation>开始/停止录音(&amp;R)</translation>
    </message>
    <message>
        <source>Withheld number</source>
        <translation>号码未显示</translation>
    </message>
    <message>
        <source>Transfer to a number</source>
        <translation>转接到号码</translation>
    </message>
    <message>
        <source>The caller is sent to this number or extension (blind transfer):</source>
        <translation>来电方将被转到此号码或分机（直接转接）：</translation>
    </message>
    <message>
        <source>Transferring the call to {0}…</source>
        <translation>正在将通话转接到 {0}…</translation>
    </message>
    <message>
        <source>No telephone account is registered: switch one on under Settings → Telephony to call numbers.</source>
        <translation>没有已注册的电话账号：请在“设置 → 电话”中启用一个账号后再拨打号码。</translation>
    </message>
    <message>
        <source>The telephone could not register at the PBX: check the account under Settings → Telephony.</source>
        <translation>电话无法在交换机上注册：请在“设置 → 电话”中检查账号。</translation>
    </message>
    <message>
        <source>The telephone is not registered at the PBX yet; calling is possible once it is.</source>
        <translation>电话尚未在交换机上注册；注册完成后即可拨打。</translation>
    </message>
    <message>
        <source>Calling {0}…</source>
        <translation>正在呼叫 {0}…</translation>
    </message>
    <message>
        <source>Call a &amp;number…</source>
        <translation>拨打号码(&amp;N)…</translation>
    </message>
</context>
<context>
    <name>CallListenControls</name>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>&amp;Listen to the call (nobody hears you)</source>
        <translation>旁听通话（谁也听不到您）(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>&amp;Coach on the call (only the agent hears you)</source>
        <translation>通话指导（只有坐席听得到您）(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Barge &amp;into the call (three-way)</source>
        <translation>强插通话（三方通话）(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Stop listening to the &amp;call</source>
        <translation>停止旁听通话(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Monitor a conversation with a call first.</source>
        <translation>请先监控一个有通话的会话。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: not listening (Listen, Coach or Barge in the Supervise menu)</source>
        <translation>通话：未旁听（在“督导”菜单中选择旁听、指导或强插）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: connecting to the agent&apos;s call…</source>
        <translation>通话：正在连接坐席的通话…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: listening — nobody hears you</source>
        <translation>通话：旁听中 — 谁也听不到您</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: coaching — only the agent hears you, never the customer</source>
        <translation>通话：指导中 — 只有坐席听得到您，客户永远听不到</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: three-way — the customer and the agent hear you</source>
        <translation>通话：三方通话 — 客户和坐席都听得到您</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: this conversation has no connected call</source>
        <translation>通话：此会话没有已接通的通话</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: only supervisors may listen to calls</source>
        <translation>通话：只有主管可以旁听通话</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: the call ended</source>
        <translation>通话：通话已结束</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: the agent&apos;s desktop went away</source>
        <translation>通话：坐席的桌面已断开</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: could not connect to the agent&apos;s call</source>
        <translation>通话：无法连接到坐席的通话</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: stopped listening</source>
        <translation>通话：已停止旁听</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Listen</source>
        <translation>旁听</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Coach</source>
        <translation>指导</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Join the call</source>
        <translation>加入通话</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Stop listening</source>
        <translation>停止旁听</translation>
    </message>
</context>
<context>
    <name>CallPanel</name>
    <message>
        <location filename="../../ui/call/call_panel.py" line="1"/>
        <source>Consult a colleague</source>
        <translation>咨询同事</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="1"/>
        <source>No colleague to consult</source>
        <translation>没有可咨询的同事</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="55"/>
        <source>Round-trip time, jitter, packet loss and the estimated MOS (1–4.5) of this call</source>
        <translation>此通话的往返时延、抖动、丢包率和估算的 MOS 分（1–4.5）</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="57"/>
        <source>&amp;Mute</source>
        <translation>静音(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="57"/>
        <source>Mute (Ctrl+Shift+M)</source>
        <translation>静音（Ctrl+Shift+M）</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="59"/>
        <location filename="../../ui/call_panel.py" line="146"/>
        <location filename="../../ui/call_panel.py" line="224"/>
        <source>Ho&amp;ld</source>
        <translation>保持(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="59"/>
        <source>Hold (Ctrl+Shift+H)</source>
        <translation>保持（Ctrl+Shift+H）</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="61"/>
        <source>&amp;Keypad</source>
        <translation>拨号键盘(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="62"/>
        <source>Keypad (Ctrl+Shift+K)</source>
        <translation>拨号键盘（Ctrl+Shift+K）</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="64"/>
        <source>&amp;Transfer</source>
        <translation>转接(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="65"/>
        <source>Blind transfer to another agent or queue</source>
        <translation>直接转接给其他坐席或队列</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="69"/>
        <source>Hang &amp;up</source>
        <translation>挂断(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="70"/>
        <source>Hang up (Ctrl+Shift+E)</source>
        <translation>挂断（Ctrl+Shift+E）</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="146"/>
        <location filename="../../ui/call_panel.py" line="224"/>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="162"/>
        <source>RTT {0} ms · jitter {1} ms · loss {2} % · MOS {3}</source>
        <translation>时延 {0} 毫秒 · 抖动 {1} 毫秒 · 丢包 {2}% · MOS {3}</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="167"/>
        <source>⚠ Poor call quality — the customer may hear you badly. </source>
        <translation>⚠ 通话质量差 — 客户可能听不清您的声音。</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="184"/>
        <source>Agents</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="188"/>
        <source>Queues</source>
        <translation>队列</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="192"/>
        <source>Nobody to transfer to</source>
        <translation>没有可转接的对象</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="145"/>
        <source>Co&amp;nsult…</source>
        <translation>咨询(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="146"/>
        <source>Put the customer on hold and call a colleague or a number ({0})</source>
        <translation>保持客户并呼叫同事或号码（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="150"/>
        <source>Colleague&apos;s extension or a number</source>
        <translation>同事的分机或电话号码</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="153"/>
        <source>Call</source>
        <translation>呼叫</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="153"/>
        <source>Call (Enter)</source>
        <translation>呼叫（Enter）</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="155"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="155"/>
        <source>Cancel (Esc)</source>
        <translation>取消（Esc）</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="168"/>
        <source>Com&amp;plete transfer</source>
        <translation>完成转接(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="169"/>
        <source>Hand the customer to the colleague and leave the call ({0})</source>
        <translation>把客户交给同事，自己退出通话（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="173"/>
        <source>Con&amp;ference</source>
        <translation>三方通话(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="174"/>
        <source>Bring the customer and the colleague together ({0})</source>
        <translation>让客户和同事一起通话（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="178"/>
        <source>&amp;Back to customer</source>
        <translation>返回客户(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="179"/>
        <source>End the consultation and take the customer off hold ({0})</source>
        <translation>结束咨询，恢复与客户通话（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="241"/>
        <source>Customer · on hold</source>
        <translation>客户 · 保持中</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="242"/>
        <source>Customer · connected</source>
        <translation>客户 · 已接通</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="243"/>
        <source>Customer · left the call</source>
        <translation>客户 · 已挂断</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="244"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="247"/>
        <source>{0} · calling…</source>
        <translation>{0} · 呼叫中…</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="248"/>
        <source>{0} · ringing</source>
        <translation>{0} · 振铃中</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="249"/>
        <source>{0} · connected</source>
        <translation>{0} · 已接通</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="250"/>
        <source>{0} · call ended</source>
        <translation>{0} · 通话已结束</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="253"/>
        <source>Conference · {0}</source>
        <translation>三方通话 · {0}</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="255"/>
        <source>Transferring to {0}…</source>
        <translation>正在转接给 {0}…</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="257"/>
        <source>{0} · the transfer failed ({1})</source>
        <translation>{0} · 转接失败（{1}）</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="264"/>
        <source>Cancel consult</source>
        <translation>取消咨询</translation>
    </message>
    <message>
        <source>&amp;Record</source>
        <translation>录音(&amp;R)</translation>
    </message>
    <message>
        <source>Start or stop recording this call (Ctrl+Shift+S)</source>
        <translation>开始或停止录制此通话 (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <source>Stop &amp;recording</source>
        <translation>停止录音(&amp;R)</translation>
    </message>
    <message>
        <source>To a &amp;number…</source>
        <translation>转到号码(&amp;N)…</translation>
    </message>
</context>
<context>
    <name>CallToast</name>
    <message>
        <location filename="../../ui/call_toast.py" line="30"/>
        <source>&amp;Answer</source>
        <translation>接听(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/call_toast.py" line="31"/>
        <source>Answer (Ctrl+Shift+A)</source>
        <translation>接听（Ctrl+Shift+A）</translation>
    </message>
    <message>
        <location filename="../../ui/call_toast.py" line="33"/>
        <source>&amp;Decline</source>
        <translation>拒接(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/call_toast.py" line="34"/>
        <source>Decline: the call goes to another agent (Ctrl+Shift+D)</source>
        <translation>拒接：来电将转给其他坐席（Ctrl+Shift+D）</translation>
    </message>
    <message>
        <location filename="../../ui/call_toast.py" line="60"/>
        <source>Call waiting — answering puts the current call on hold</source>
        <translation>呼叫等待 — 接听将使当前通话进入保持</translation>
    </message>
    <message>
        <location filename="../../ui/call_toast.py" line="62"/>
        <source>Transferred call from {0}</source>
        <translation>{0} 转来的通话</translation>
    </message>
    <message>
        <location filename="../../ui/call_toast.py" line="64"/>
        <source>Incoming call</source>
        <translation>来电</translation>
    </message>
</context>
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
        <location filename="../../ui/chat_panel.py" line="108"/>
        <source>Close conversation</source>
        <translation>结束会话</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="109"/>
        <source>Close this conversation (Ctrl+Shift+W)</source>
        <translation>结束此会话（Ctrl+Shift+W）</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="111"/>
        <source>Transfer…</source>
        <translation>转接…</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="112"/>
        <source>Hand this conversation to a colleague or a queue (Ctrl+Shift+T)</source>
        <translation>将此会话转给同事或队列（Ctrl+Shift+T）</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="140"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="175"/>
        <source>Unknown conversation</source>
        <translation>未知会话</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="194"/>
        <source>You closed this conversation.</source>
        <translation>您已结束此会话。</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="195"/>
        <source>The customer closed this conversation.</source>
        <translation>客户已结束此会话。</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="196"/>
        <source>This conversation was closed.</source>
        <translation>此会话已结束。</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="202"/>
        <source>a colleague</source>
        <translation>一位同事</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="203"/>
        <source>Transferred to you by {0} — note: {1}</source>
        <translation>由 {0} 转接给您 — 备注：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="232"/>
        <source>The customer is typing…</source>
        <translation>客户正在输入…</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="244"/>
        <source>This message is too long (at most {0} characters).</source>
        <translation>消息过长（最多 {0} 个字符）。</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../ui/chat_view.py" line="275"/>
        <source>Copy text</source>
        <translation>复制文字</translation>
    </message>
    <message>
        <location filename="../../ui/chat_view.py" line="279"/>
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
        <location filename="../../ui/status_widgets.py" line="46"/>
        <source>Try to reach the hub now instead of waiting</source>
        <translation>立即尝试连接服务器，不再等待</translation>
    </message>
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
        <source>Reconnecting — next try in {0} s</source>
        <translation>正在重连 — {0} 秒后重试</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="96"/>
        <source>Reconnecting…</source>
        <translation>正在重连…</translation>
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
    <name>ConsistencyDialog</name>
    <message>
        <location filename="../../ui/consistency_dialog.py" line="17"/>
        <source>Cache consistency</source>
        <translation>缓存一致性</translation>
    </message>
    <message>
        <location filename="../../ui/consistency_dialog.py" line="19"/>
        <source>Comparing the local cache with the hub…</source>
        <translation>正在将本地缓存与服务器比对…</translation>
    </message>
    <message>
        <location filename="../../ui/consistency_dialog.py" line="33"/>
        <source>Last event {0}; {1} open conversations; {2} messages.</source>
        <translation>最新事件 {0}；{1} 个进行中的会话；{2} 条消息。</translation>
    </message>
    <message>
        <location filename="../../ui/consistency_dialog.py" line="37"/>
        <source>The cache matches the hub.</source>
        <translation>本地缓存与服务器一致。</translation>
    </message>
    <message>
        <location filename="../../ui/consistency_dialog.py" line="40"/>
        <source>The cache differs from the hub.</source>
        <translation>本地缓存与服务器不一致。</translation>
    </message>
    <message>
        <location filename="../../ui/consistency_dialog.py" line="45"/>
        <source>The check could not be completed.</source>
        <translation>检查未能完成。</translation>
    </message>
</context>
<context>
    <name>ConversationTabs</name>
    <message>
        <location filename="../../ui/conversation_tabs.py" line="109"/>
        <source>Close tab (the conversation stays open)</source>
        <translation>关闭标签页（会话保持进行中）</translation>
    </message>
</context>
<context>
    <name>CopyLabel</name>
    <message>
        <location filename="../../ui/profile_details.py" line="48"/>
        <source>Click to copy</source>
        <translation>点击复制</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="52"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="54"/>
        <source>Copied ✓</source>
        <translation>已复制 ✓</translation>
    </message>
</context>
<context>
    <name>CustomerActions</name>
    <message>
        <location filename="../../ui/customer_actions.py" line="130"/>
        <source>Contact point not valid</source>
        <translation>联系方式无效</translation>
    </message>
    <message>
        <location filename="../../ui/customer_actions.py" line="131"/>
        <source>“{0}” is not a valid phone number or email address.</source>
        <translation>“{0}”不是有效的电话号码或邮箱地址。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_actions.py" line="134"/>
        <source>Hub: {0}</source>
        <translation>服务器：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/customer_actions.py" line="135"/>
        <source>Keep it anyway, marked as unverified? It will not be used to recognise the customer.</source>
        <translation>仍然保留并标记为“未验证”吗？它不会用于识别客户。</translation>
    </message>
    <message>
        <source>Open a customer first, then reach out to them.</source>
        <translation>请先打开一位客户，再主动联系。</translation>
    </message>
    <message>
        <source>Write a message first.</source>
        <translation>请先填写消息。</translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation>消息太长。</translation>
    </message>
    <message>
        <source>The subject is too long.</source>
        <translation>主题太长。</translation>
    </message>
    <message>
        <source>You cannot reach out to this customer: they are outside your queues.</source>
        <translation>您无法联系该客户：该客户不在您负责的队列中。</translation>
    </message>
    <message>
        <source>Someone reached out to this customer a short while ago. Try again later.</source>
        <translation>不久前已有人联系过该客户，请稍后再试。</translation>
    </message>
    <message>
        <source>The customer is not online in the web chat and cannot be emailed, or is already chatting with a colleague.</source>
        <translation>该客户不在网页聊天中在线，也无法通过邮件联系；或正在与其他同事对话。</translation>
    </message>
    <message>
        <source>Could not reach out to the customer ({0}).</source>
        <translation>未能主动联系客户（{0}）。</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <location filename="../../ui/customer_panel.py" line="164"/>
        <source>The customer is not online in the web widget; calling is possible while they have it open</source>
        <translation>客户当前不在网页聊天窗口中；客户打开窗口时才能呼叫</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="55"/>
        <source>The customer of the selected conversation appears here.</source>
        <translation>所选会话的客户资料显示在这里。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="77"/>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="78"/>
        <source>Profile</source>
        <translation>资料</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="79"/>
        <location filename="../../ui/customer_panel.py" line="214"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="85"/>
        <source>Call</source>
        <translation>呼叫</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="86"/>
        <location filename="../../ui/customer_panel.py" line="163"/>
        <source>Call the customer in the chat page (Ctrl+Shift+C)</source>
        <translation>呼叫正在聊天页面中的客户（Ctrl+Shift+C）</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="213"/>
        <source>Notes ({0})</source>
        <translation>备注 ({0})</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="253"/>
        <source>The hub could not be asked ({0}).</source>
        <translation>无法查询服务器（{0}）。</translation>
    </message>
</context>
<context>
    <name>DesktopApp</name>
    <message>
        <source>This computer has no system keyring: the local cache is not encrypted.</source>
        <translation>此电脑没有系统密钥环：本地缓存未加密。</translation>
    </message>
    <message>
        <source>The local cache could not be unlocked: it has been set aside and is being rebuilt from the hub. Replies that were not sent yet are in the old file and need its key.</source>
        <translation>本地缓存无法解锁：已将其移到一旁，正在从服务器重建。尚未发送的回复在旧文件中，需要它的密钥才能读取。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="132"/>
        <source>The local hub did not start: {0}</source>
        <translation>本地服务未能启动：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="226"/>
        <source>No system keyring: you will need to sign in again next time.</source>
        <translation>系统没有可用的密钥环：下次启动时需要重新登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="315"/>
        <source>You signed in on another computer, so you were signed out here. Sign in again to work here.</source>
        <translation>您已在另一台电脑上登录，因此此处已退出登录。如需在此处工作，请重新登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="258"/>
        <source>Your session has expired. Please sign in again.</source>
        <translation>登录已过期，请重新登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="276"/>
        <source>The local cache was written by a newer version of Zuoxi. It has been set aside and is being rebuilt from the hub.</source>
        <translation>本地缓存由更新版本的坐席写入，已另行保存，正在从服务器重建。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="279"/>
        <source>The local cache could not be read (the file is damaged). It has been set aside and is being rebuilt from the hub; replies that were not sent yet may need to be written again.</source>
        <translation>无法读取本地缓存（文件已损坏），已另行保存，正在从服务器重建；尚未发出的回复可能需要重新输入。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="283"/>
        <source>Old file: {0}</source>
        <translation>旧文件：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="405"/>
        <source>Not signed in to a hub yet.</source>
        <translation>尚未登录服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="410"/>
        <source>The hub could not be asked: {0}</source>
        <translation>无法向服务器查询：{0}</translation>
    </message>
    <message>
        <source>This server is remembered from an earlier start. To try Zuoxi on this computer instead, use the local demo hub.</source>
        <translation>此服务器地址是之前启动时记住的。若想在本机试用坐席，请使用本地演示服务器。</translation>
    </message>
    <message>
        <source>Zuoxi stopped unexpectedly last time. A report (what Python and Qt said, and the last log lines) was saved for support: {0}</source>
        <translation>坐席上次意外退出。已保存一份报告（Python 和 Qt 的输出以及最后的日志），可提供给技术支持：{0}</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>New email from {0}</source>
        <translation>来自 {0} 的新邮件</translation>
    </message>
    <message>
        <source>New message from {0}</source>
        <translation>来自 {0} 的新消息</translation>
    </message>
    <message>
        <source>This computer has no system keyring: the telephone&apos;s password is kept only until Zuoxi closes.</source>
        <translation>此电脑没有系统密钥环：电话密码只保留到坐席关闭为止。</translation>
    </message>
</context>
<context>
    <name>DesktopCalls</name>
    <message>
        <location filename="../../desktop/call_setup.py" line="52"/>
        <source>No audio device — calls will be silent. You can still answer them; connect a headset and choose it under File → Audio devices.</source>
        <translation>没有音频设备 — 通话将没有声音。您仍可接听来电；请连接耳机，并在“文件 → 音频设备”中选择。</translation>
    </message>
    <message>
        <location filename="../../desktop/call_setup.py" line="105"/>
        <source>The audio device “{0}” was disconnected; the call goes on with the default device (or silence if there is none).</source>
        <translation>音频设备“{0}”已断开；通话将改用默认设备继续（若没有设备则为静音）。</translation>
    </message>
    <message>
        <location filename="../../desktop/call_setup.py" line="111"/>
        <source>The audio device “{0}” could not be opened (in use by another program?). The call goes on without it.</source>
        <translation>无法打开音频设备“{0}”（是否被其他程序占用？）。通话将在没有该设备的情况下继续。</translation>
    </message>
</context>
<context>
    <name>DispositionDialog</name>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="153"/>
        <source>Close {0}</source>
        <translation>结束与 {0} 的会话</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="156"/>
        <source>How did it end? Pick an &amp;outcome:</source>
        <translation>处理结果如何？请选择结果(&amp;O)：</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="167"/>
        <source>Optional wrap-up note</source>
        <translation>小结备注（可选）</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="169"/>
        <source>Close conversation</source>
        <translation>结束会话</translation>
    </message>
</context>
<context>
    <name>EmailCard</name>
    <message>
        <location filename="../../ui/email_card.py" line="78"/>
        <source>Show or hide this mail (Space)</source>
        <translation>展开或收起这封邮件（空格键）</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="104"/>
        <source>You</source>
        <translation>您</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="119"/>
        <source>Failed: bounced</source>
        <translation>失败：被退回</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="120"/>
        <source>Failed: refused by the mail server</source>
        <translation>失败：被邮件服务器拒绝</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="121"/>
        <source>Failed: could not be delivered</source>
        <translation>失败：无法投递</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="124"/>
        <source>Failed: not sent, its {0} header did not pass the safety check</source>
        <translation>失败：未发送，{0} 邮件头未通过安全检查</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="127"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="128"/>
        <source>Sending…</source>
        <translation>发送中…</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="128"/>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="134"/>
        <source>This mail would not have gone out as it was written (for instance, a line break was hidden in text taken from a customer&apos;s mail). Check the subject and the recipients, then send it again.</source>
        <translation>这封邮件无法按所写的样子发出（例如，从客户邮件中取来的文字里藏有换行）。请检查主题和收件人，然后重新发送。</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="157"/>
        <source>To: {0}</source>
        <translation>收件人：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="159"/>
        <source>Cc: {0}</source>
        <translation>抄送：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="162"/>
        <source>Bcc: {0}</source>
        <translation>密送：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="196"/>
        <source>⚠ Some characters of this mail could not be decoded as declared: parts may look wrong. The original is kept.</source>
        <translation>⚠ 这封邮件的部分字符无法按声明的编码解码，部分内容可能显示不正确。原始邮件已保留。</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="199"/>
        <source>⚠ This mail is malformed; what could be read is shown. The original is kept.</source>
        <translation>⚠ 这封邮件格式有误，仅显示可读取的部分。原始邮件已保留。</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="202"/>
        <source>📅 Invitation: {0}</source>
        <translation>📅 会议邀请：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="205"/>
        <source>Text the sender had hidden is shown.</source>
        <translation>已显示发件人隐藏的文字。</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="213"/>
        <source>{0} remote image(s) blocked to protect your privacy.</source>
        <translation>为保护您的隐私，已阻止 {0} 张远程图片。</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="216"/>
        <source>Load images</source>
        <translation>加载图片</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="247"/>
        <source>Program file: it could harm this computer</source>
        <translation>程序文件：可能危害这台电脑</translation>
    </message>
    <message numerus="yes">
        <source>%n remote image(s) blocked to protect your privacy.</source>
        <translation>
            <numerusform>为保护您的隐私，已阻止 %n 张远程图片。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EmailComposer</name>
    <message>
        <location filename="../../ui/email_composer.py" line="59"/>
        <source>Greeting</source>
        <translation>问候</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="60"/>
        <source>Dear {customer_name},</source>
        <translation>尊敬的{customer_name}，</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="62"/>
        <source>Order shipped</source>
        <translation>订单已发货</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="63"/>
        <source>Dear {customer_name},

your order has been shipped and should arrive within three days.</source>
        <translation>尊敬的{customer_name}，

您的订单已发货，预计三天内送达。</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="67"/>
        <source>Need more details</source>
        <translation>需要更多信息</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="68"/>
        <source>Dear {customer_name},

to help you further, could you send us your order number?</source>
        <translation>尊敬的{customer_name}，

为了进一步帮助您，能否告诉我们您的订单号？</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="102"/>
        <source>name@example.com, …</source>
        <translation>name@example.com, …</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="106"/>
        <source>&amp;To:</source>
        <translation>收件人(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="106"/>
        <source>&amp;Cc:</source>
        <translation>抄送(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="107"/>
        <source>&amp;Bcc:</source>
        <translation>密送(&amp;B)：</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="108"/>
        <source>&amp;Subject:</source>
        <translation>主题(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="168"/>
        <source>Insert a reply template…</source>
        <translation>插入回复模板…</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="127"/>
        <source>Delete removes the selected attachment</source>
        <translation>按 Delete 移除选中的附件</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="128"/>
        <source>&amp;Attach…</source>
        <translation>添加附件(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="131"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="133"/>
        <source>Send (Ctrl+Enter)</source>
        <translation>发送（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="135"/>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="230"/>
        <source>Attach files</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="240"/>
        <source>Cannot read {0}</source>
        <translation>无法读取 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="263"/>
        <source>{0} of {1}</source>
        <translation>{0} / {1}</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="300"/>
        <source>Add at least one recipient.</source>
        <translation>请至少添加一个收件人。</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="301"/>
        <source>Not an email address: {0}</source>
        <translation>不是有效的邮箱地址：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="302"/>
        <source>Line breaks are not allowed here.</source>
        <translation>此处不允许换行。</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="303"/>
        <source>Too many recipients.</source>
        <translation>收件人过多。</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="304"/>
        <source>Too long.</source>
        <translation>内容过长。</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="305"/>
        <source>{0} is larger than the limit.</source>
        <translation>{0} 超过大小限制。</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="306"/>
        <source>The attachments together exceed {0}.</source>
        <translation>附件总大小超过 {0}。</translation>
    </message>
</context>
<context>
    <name>EmailSettingsPage</name>
    <message>
        <location filename="../../ui/email_settings_page.py" line="43"/>
        <source>e.g. Lina Li · Customer care · 400-820-1234</source>
        <translation>例如 李娜 · 客户服务 · 400-820-1234</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="48"/>
        <source>Reply templates</source>
        <translation>回复模板</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="55"/>
        <source>Template name</source>
        <translation>模板名称</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="60"/>
        <source>Dear {customer_name}, …</source>
        <translation>{customer_name}您好，…</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="63"/>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="65"/>
        <source>Add a template (Insert)</source>
        <translation>添加模板（Insert）</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="67"/>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="69"/>
        <source>Remove the template (Delete)</source>
        <translation>删除模板（Delete）</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="71"/>
        <source>Move &amp;up</source>
        <translation>上移(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="73"/>
        <source>Move dow&amp;n</source>
        <translation>下移(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="79"/>
        <source>support@example.com, service@example.com</source>
        <translation>support@example.com, service@example.com</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="81"/>
        <source>The support mailbox&apos;s own addresses: &quot;reply all&quot; never sends to them.</source>
        <translation>客服邮箱自己的地址：“全部回复”不会发送给它们。</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="95"/>
        <source>{customer_name} and {agent_name} are filled in when the template is used. The first template greets every new reply.</source>
        <translation>使用模板时会填入 {customer_name} 和 {agent_name}。第一个模板用作每封新回复的问候语。</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="109"/>
        <source>&amp;Signature</source>
        <translation>签名(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="110"/>
        <source>Reply &amp;templates</source>
        <translation>回复模板(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="111"/>
        <source>Our &amp;addresses</source>
        <translation>本方地址(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="145"/>
        <source>New template</source>
        <translation>新模板</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="145"/>
        <source>Dear {customer_name},

</source>
        <translation>{customer_name}您好：

</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="190"/>
        <source>Not an email address: {0}</source>
        <translation>不是有效的邮件地址：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="191"/>
        <source>One address per entry, no line breaks.</source>
        <translation>每项一个地址，不能换行。</translation>
    </message>
</context>
<context>
    <name>EmailView</name>
    <message>
        <location filename="../../ui/email_view.py" line="85"/>
        <source>&amp;Reply</source>
        <translation>回复(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="86"/>
        <source>Reply &amp;all</source>
        <translation>全部回复(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="87"/>
        <source>&amp;Forward</source>
        <translation>转发(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="88"/>
        <source>Close conversation</source>
        <translation>结束会话</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="89"/>
        <source>Reply to the sender (Ctrl+R)</source>
        <translation>回复发件人（Ctrl+R）</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="90"/>
        <source>Reply to everyone (Ctrl+Shift+R)</source>
        <translation>回复所有人（Ctrl+Shift+R）</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="91"/>
        <source>Forward (Ctrl+Shift+F)</source>
        <translation>转发（Ctrl+Shift+F）</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="173"/>
        <source>Email</source>
        <translation>邮件</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="218"/>
        <source>Link goes to: {0}</source>
        <translation>链接指向：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="261"/>
        <source>On {date}, {name} wrote:</source>
        <translation>{name} 于 {date} 写道：</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="262"/>
        <source>---------- Forwarded message ----------</source>
        <translation>---------- 转发的邮件 ----------</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="263"/>
        <source>From</source>
        <translation>发件人</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="263"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="264"/>
        <source>Subject</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="264"/>
        <source>To</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="265"/>
        <source>Re: </source>
        <translation>回复：</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="265"/>
        <source>Fwd: </source>
        <translation>转发：</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="301"/>
        <source>“{0}” is a program file. Opening it could harm this computer. Only continue if you trust the sender.</source>
        <translation>“{0}”是程序文件，打开它可能危害这台电脑。只有在您信任发件人时才继续。</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="305"/>
        <source>Open or save “{0}”?</source>
        <translation>打开还是保存“{0}”？</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="306"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="307"/>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="322"/>
        <source>Save attachment</source>
        <translation>保存附件</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="332"/>
        <source>Attachments can be downloaded when connected.</source>
        <translation>连接到服务器后才能下载附件。</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="337"/>
        <source>Could not download {0} ({1}).</source>
        <translation>无法下载 {0}（{1}）。</translation>
    </message>
</context>
<context>
    <name>InboxDelegate</name>
    <message>
        <location filename="../../ui/inbox_view.py" line="225"/>
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
    <message>
        <source>Use the local demo hub</source>
        <translation>使用本地演示服务器</translation>
    </message>
    <message>
        <source>Forget this server and run the demo hub on this computer</source>
        <translation>忘记此服务器，在本机运行演示服务器</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="71"/>
        <source>Walk-in customer: look up and record a visit (Ctrl+Shift+N)</source>
        <translation>到店客户：查找客户并登记到访（Ctrl+Shift+N）</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="76"/>
        <source>Inbox</source>
        <translation>收件箱</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="90"/>
        <source>Pick a conversation in the inbox.
New chats appear there as they arrive.</source>
        <translation>请在收件箱中选择一个会话。
新的对话到达时会出现在那里。</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="30"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="31"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="33"/>
        <source>&amp;Audio devices…</source>
        <translation>音频设备(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="36"/>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="38"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="41"/>
        <source>&amp;Conversation</source>
        <translation>会话(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="42"/>
        <source>&amp;Next conversation</source>
        <translation>下一个会话(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="44"/>
        <source>&amp;Previous conversation</source>
        <translation>上一个会话(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="46"/>
        <source>Focus the &amp;reply box</source>
        <translation>转到回复框(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="51"/>
        <source>&amp;Accept the offer</source>
        <translation>接受分配(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="53"/>
        <source>&amp;Decline the offer…</source>
        <translation>拒绝分配(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="55"/>
        <source>T&amp;ransfer…</source>
        <translation>转接(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="57"/>
        <source>&amp;Pick from the queue</source>
        <translation>从队列领取(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="60"/>
        <source>&amp;Close conversation</source>
        <translation>结束会话(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="62"/>
        <source>Close &amp;tab</source>
        <translation>关闭标签页(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="65"/>
        <source>&amp;Walk-in customer…</source>
        <translation>到店客户(&amp;W)…</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="67"/>
        <source>&amp;Search customers and messages…</source>
        <translation>搜索客户和消息(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="70"/>
        <source>Ca&amp;ll</source>
        <translation>通话(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="74"/>
        <source>&amp;Presence</source>
        <translation>状态(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="75"/>
        <source>&amp;Available</source>
        <translation>空闲(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="77"/>
        <source>A&amp;way</source>
        <translation>离开(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="79"/>
        <source>Away &amp;because</source>
        <translation>离开原因(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="83"/>
        <source>&amp;Offline</source>
        <translation>离线(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="86"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="88"/>
        <source>&amp;Queues</source>
        <translation>队列(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="92"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="93"/>
        <source>Open the customer chat page</source>
        <translation>打开客户聊天页面</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="98"/>
        <source>Check cache &amp;consistency</source>
        <translation>检查缓存一致性(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="227"/>
        <source>a customer</source>
        <translation>一位客户</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="230"/>
        <source>The conversation with {0} went to another agent while you were disconnected.</source>
        <translation>您断线期间，与 {0} 的会话已转给其他坐席。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="233"/>
        <source>The conversation with {0} was transferred to another agent.</source>
        <translation>与 {0} 的会话已转给其他坐席。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="235"/>
        <source>The conversation with {0} is no longer assigned to you.</source>
        <translation>与 {0} 的会话已不再分配给您。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="290"/>
        <source>Zuoxi</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Knowledge base…</source>
        <translation>知识库(&amp;K)…</translation>
    </message>
    <message>
        <source>Reach &amp;out to the customer…</source>
        <translation>主动联系客户(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/main_window.py" line="1"/>
        <source>Conversations</source>
        <translation>会话</translation>
    </message>
    <message>
        <location filename="../../ui/shell/main_window.py" line="1"/>
        <source>Follow-ups</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../ui/shell/main_window.py" line="1"/>
        <source>Follow-ups ({0})</source>
        <translation>工单（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/shell/window_menus.py" line="1"/>
        <source>New &amp;follow-up…</source>
        <translation>新建工单(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/window_menus.py" line="1"/>
        <source>Follow-up &amp;list</source>
        <translation>工单列表(&amp;L)</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../ui/merge_dialog.py" line="38"/>
        <source>Merge into {0}</source>
        <translation>合并到 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/merge_dialog.py" line="41"/>
        <source>Find the duplicate: name, phone, email…</source>
        <translation>查找重复客户：姓名、电话、邮箱…</translation>
    </message>
    <message>
        <location filename="../../ui/merge_dialog.py" line="45"/>
        <source>Pick the customer whose history should move here.</source>
        <translation>选择要将其历史记录移到此处的客户。</translation>
    </message>
    <message>
        <location filename="../../ui/merge_dialog.py" line="49"/>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <location filename="../../ui/merge_dialog.py" line="85"/>
        <source>{0} will be merged into {1} and disappear. Moving: {2} conversation(s), {3} message(s) and {4} note(s) held here, and everything the hub holds.</source>
        <translation>{0} 将合并到 {1} 并被移除。将移动：本地的 {2} 个会话、{3} 条消息和 {4} 条备注，以及服务器上的全部记录。</translation>
    </message>
    <message>
        <location filename="../../ui/merge_dialog.py" line="90"/>
        <source>Contact points: {0}.</source>
        <translation>联系方式：{0}。</translation>
    </message>
    <message>
        <location filename="../../ui/merge_dialog.py" line="91"/>
        <source>You can undo it later from the customer&apos;s actions menu.</source>
        <translation>之后可以在客户操作菜单中撤销。</translation>
    </message>
    <message>
        <location filename="../../ui/merge_dialog.py" line="94"/>
        <source>A call with one of these customers is open: merge after it ends.</source>
        <translation>其中一位客户有进行中的通话：请在通话结束后再合并。</translation>
    </message>
</context>
<context>
    <name>NotesView</name>
    <message>
        <location filename="../../ui/notes_view.py" line="34"/>
        <source>Write a note about this customer…</source>
        <translation>为该客户写一条备注…</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="36"/>
        <location filename="../../ui/notes_view.py" line="120"/>
        <source>Add note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="38"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="72"/>
        <source>No notes yet.</source>
        <translation>暂无备注。</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="79"/>
        <source>Unknown author</source>
        <translation>未知作者</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="82"/>
        <source>edited</source>
        <translation>已编辑</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="84"/>
        <source>not yet synced</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="88"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="103"/>
        <source>Not saved ({0}). Edit it to send it again.</source>
        <translation>未保存（{0}）。编辑后将重新发送。</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="112"/>
        <source>Save note</source>
        <translation>保存备注</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="135"/>
        <source>The note is too long.</source>
        <translation>备注过长。</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <location filename="../../ui/banners.py" line="33"/>
        <source>Dismiss</source>
        <translation>关闭提示</translation>
    </message>
</context>
<context>
    <name>OfferToast</name>
    <message>
        <location filename="../../ui/offer_toast.py" line="76"/>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="77"/>
        <source>Take this conversation (Enter, Ctrl+Shift+A)</source>
        <translation>接手此会话（Enter、Ctrl+Shift+A）</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="80"/>
        <source>Decline</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="81"/>
        <source>Pass it to another agent (Ctrl+Shift+D)</source>
        <translation>转给其他坐席（Ctrl+Shift+D）</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="110"/>
        <source>Busy with another customer</source>
        <translation>正在接待其他客户</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="111"/>
        <source>Not my topic</source>
        <translation>不是我负责的业务</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="112"/>
        <source>Not a language I speak</source>
        <translation>我不会这种语言</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="113"/>
        <source>Other reason</source>
        <translation>其他原因</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="137"/>
        <source>Incoming call</source>
        <translation>来电</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="138"/>
        <source>New email offered</source>
        <translation>新邮件分配</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="139"/>
        <source>New chat offered</source>
        <translation>新聊天分配</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="147"/>
        <source>priority {0}</source>
        <translation>优先级 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="152"/>
        <source>a colleague</source>
        <translation>一位同事</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="153"/>
        <source>Note from {0}: {1}</source>
        <translation>{0} 的备注：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="156"/>
        <source>+{0} more</source>
        <translation>另有 {0} 个</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="188"/>
        <source>{0} s to answer</source>
        <translation>剩余 {0} 秒</translation>
    </message>
    <message>
        <source>Take this conversation (Ctrl+Shift+A)</source>
        <translation>接受此会话（Ctrl+Shift+A）</translation>
    </message>
    <message>
        <source>Ctrl+Shift+A accepts · Ctrl+Shift+D declines</source>
        <translation>Ctrl+Shift+A 接受 · Ctrl+Shift+D 拒绝</translation>
    </message>
    <message>
        <source>Ctrl+Shift+A accepts.</source>
        <translation>按 Ctrl+Shift+A 接受。</translation>
    </message>
    <message>
        <source>Subject: {0}</source>
        <translation>主题：{0}</translation>
    </message>
</context>
<context>
    <name>Presence</name>
    <message>
        <location filename="../../ui/presence_control.py" line="49"/>
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="50"/>
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="51"/>
        <source>Away</source>
        <translation>离开</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="52"/>
        <source>After-call work</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="53"/>
        <source>Not responding</source>
        <translation>无响应</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="54"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="61"/>
        <source>Break</source>
        <translation>休息</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="62"/>
        <source>Meeting</source>
        <translation>会议</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="63"/>
        <source>Training</source>
        <translation>培训</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="64"/>
        <source>Lunch</source>
        <translation>午餐</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="65"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>PresenceControl</name>
    <message>
        <location filename="../../ui/presence_control.py" line="149"/>
        <source>I&apos;m back</source>
        <translation>我回来了</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="150"/>
        <source>Become available again (Ctrl+1)</source>
        <translation>重新设为空闲（Ctrl+1）</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="193"/>
        <source>Wrap-up: {0} left</source>
        <translation>话后处理：剩余 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="197"/>
        <source>Offers stopped after missed offers</source>
        <translation>因多次未响应，已暂停分配</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="199"/>
        <source>At capacity</source>
        <translation>已达接待上限</translation>
    </message>
    <message>
        <source>Wrap-up ending…</source>
        <translation>整理即将结束…</translation>
    </message>
</context>
<context>
    <name>PresenceSelector</name>
    <message>
        <location filename="../../ui/presence_control.py" line="86"/>
        <source>Away — {0}</source>
        <translation>离开 — {0}</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="96"/>
        <source>Your presence (Ctrl+1 available, Ctrl+2 away, Ctrl+3 offline): new conversations are offered to available agents</source>
        <translation>您的状态（Ctrl+1 空闲，Ctrl+2 离开，Ctrl+3 离线）：新会话只分配给空闲的坐席</translation>
    </message>
</context>
<context>
    <name>ProfileDetails</name>
    <message>
        <location filename="../../ui/profile_details.py" line="75"/>
        <source>Add a phone, email or id</source>
        <translation>添加电话、邮箱或 ID</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="77"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="93"/>
        <source>Contact points</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="96"/>
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="99"/>
        <source>Consent</source>
        <translation>授权同意</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="111"/>
        <source>None known</source>
        <translation>暂无</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="118"/>
        <source>No consent recorded</source>
        <translation>未记录授权</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="129"/>
        <source>pending</source>
        <translation>待同步</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="131"/>
        <source>unverified</source>
        <translation>未验证</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="132"/>
        <source>Kept as typed although it did not validate; never used to recognise the customer</source>
        <translation>按输入原样保留（未通过校验）；不会用于识别客户</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="138"/>
        <source>Remove this contact point</source>
        <translation>删除此联系方式</translation>
    </message>
    <message>
        <source>Call this number…</source>
        <translation>拨打此号码…</translation>
    </message>
    <message>
        <source>Call {0}</source>
        <translation>拨打 {0}</translation>
    </message>
    <message>
        <source>masked</source>
        <translation>已遮蔽</translation>
    </message>
    <message>
        <source>Your role reads phone numbers and e-mail addresses masked</source>
        <translation>您的角色只能看到遮蔽后的电话号码和邮箱地址</translation>
    </message>
    <message>
        <source>Revealing a field needs the hub; you are offline</source>
        <translation>查看完整字段需要连接服务器，您当前离线</translation>
    </message>
    <message>
        <source>Your role may not reveal this field</source>
        <translation>您的角色无权查看此字段的完整内容</translation>
    </message>
    <message>
        <source>The hub did not reveal the field ({0})</source>
        <translation>服务器未显示该字段（{0}）</translation>
    </message>
    <message>
        <source>Add an external id</source>
        <translation>添加外部 ID</translation>
    </message>
</context>
<context>
    <name>ProfileHeader</name>
    <message>
        <location filename="../../ui/profile_header.py" line="89"/>
        <source>Customer actions</source>
        <translation>客户操作</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="137"/>
        <source>prefers {0}</source>
        <translation>偏好{0}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="147"/>
        <source>Value tier</source>
        <translation>价值等级</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="151"/>
        <source>Tag set by an agent</source>
        <translation>坐席设置的标签</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="157"/>
        <source>Automatic tag ({0}): {1}</source>
        <translation>自动标签（{0}）：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="169"/>
        <source>Merge with…</source>
        <translation>与…合并</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="174"/>
        <source>Undo merge of {0} ({1})</source>
        <translation>撤销合并 {0}（{1}）</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="185"/>
        <source>Refresh from the hub</source>
        <translation>从服务器刷新</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="197"/>
        <source>{0} contacts in 30 days</source>
        <translation>30 天内联系 {0} 次</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="203"/>
        <source>last {0}</source>
        <translation>最近 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="206"/>
        <source>CSAT {0}</source>
        <translation>满意度 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="209"/>
        <source>NPS {0}</source>
        <translation>NPS {0}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="211"/>
        <source>{0} open</source>
        <translation>{0} 个进行中</translation>
    </message>
    <message>
        <source>Reach out…</source>
        <translation>主动联系…</translation>
    </message>
</context>
<context>
    <name>ProfileText</name>
    <message>
        <location filename="../../ui/profile_text.py" line="35"/>
        <source>New</source>
        <translation>新客户</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="36"/>
        <source>Active</source>
        <translation>活跃</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="37"/>
        <source>High value</source>
        <translation>高价值</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="38"/>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="39"/>
        <source>Churn risk</source>
        <translation>流失风险</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="54"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="55"/>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="56"/>
        <source>Web visitor</source>
        <translation>网页访客</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="57"/>
        <source>External id</source>
        <translation>外部 ID</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="64"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="65"/>
        <source>A number, e.g. 1250 or 3.5</source>
        <translation>数字，例如 1250 或 3.5</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="68"/>
        <source>A date, YYYY-MM-DD</source>
        <translation>日期，格式 YYYY-MM-DD</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="69"/>
        <source>One of the listed choices</source>
        <translation>列表中的一个选项</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="77"/>
        <source>This value is not valid here. Expected: {0}</source>
        <translation>此值无效。应为：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="85"/>
        <source>The profile could not be saved</source>
        <translation>资料无法保存</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="87"/>
        <source>The note could not be saved</source>
        <translation>备注无法保存</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="89"/>
        <source>The note could not be changed</source>
        <translation>备注无法修改</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="91"/>
        <source>The contact point {0} could not be added</source>
        <translation>无法添加联系方式 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="95"/>
        <source>The contact point {0} could not be removed</source>
        <translation>无法删除联系方式 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="99"/>
        <source>The customers could not be merged</source>
        <translation>客户无法合并</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="101"/>
        <source>The merge could not be undone</source>
        <translation>无法撤销合并</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="102"/>
        <source>The change could not be saved</source>
        <translation>修改无法保存</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="108"/>
        <source>it is not a valid phone number or email address</source>
        <translation>这不是有效的电话号码或邮箱地址</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="111"/>
        <source>another customer already has this contact point — merge the two customers instead</source>
        <translation>另一位客户已拥有此联系方式 — 请改为合并这两位客户</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="115"/>
        <source>the hub refused the merge (a customer cannot be merged into itself, nor while a call with either customer is open, nor undone after later merges)</source>
        <translation>服务器拒绝了合并（客户不能与自身合并；任一客户有进行中的通话时不能合并；之后又有合并时不能撤销）</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="121"/>
        <source>you do not have permission for this customer</source>
        <translation>您没有访问该客户的权限</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="124"/>
        <source>a value has the wrong type or is not allowed</source>
        <translation>某个值类型错误或不被允许</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="127"/>
        <source>the customer or note no longer exists</source>
        <translation>客户或备注已不存在</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="132"/>
        <source>{0}: {1}.</source>
        <translation>{0}：{1}。</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="134"/>
        <source>Hub: {0}</source>
        <translation>服务器：{0}</translation>
    </message>
    <message>
        <source>frequent contact</source>
        <translation>频繁联系</translation>
    </message>
    <message>
        <source>recent complaint</source>
        <translation>近期投诉</translation>
    </message>
    <message>
        <source>high value</source>
        <translation>高价值</translation>
    </message>
    <message>
        <source>churn risk</source>
        <translation>流失风险</translation>
    </message>
    <message>
        <source>Frequent contact</source>
        <translation>频繁联系</translation>
    </message>
    <message>
        <source>Recent complaint</source>
        <translation>近期投诉</translation>
    </message>
    <message>
        <source>wrote “{0}” on {1} (within {2} days)</source>
        <translation>于 {1} 写了“{0}”（{2} 天内）</translation>
    </message>
    <message>
        <source>tier is {0}</source>
        <translation>客户等级为{0}</translation>
    </message>
    <message>
        <source>last NPS {0} (≤ {1})</source>
        <translation>最近一次 NPS 为 {0}（≤ {1}）</translation>
    </message>
    <message>
        <source>average CSAT fell from {0} to {1}</source>
        <translation>平均 CSAT 从 {0} 降到 {1}</translation>
    </message>
</context>
<context>
    <name>QueueDock</name>
    <message>
        <location filename="../../ui/queue_view.py" line="263"/>
        <source>Queues</source>
        <translation>队列</translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <location filename="../../ui/queue_view.py" line="52"/>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="52"/>
        <location filename="../../ui/queue_view.py" line="65"/>
        <source>Waiting</source>
        <translation>等待</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="52"/>
        <source>Oldest</source>
        <translation>最久</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="80"/>
        <source>Pick next</source>
        <translation>领取下一个</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="81"/>
        <source>Take the first waiting conversation of the selected queue (Ctrl+Shift+P)</source>
        <translation>领取所选队列中排在最前的等待会话（Ctrl+Shift+P）</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="151"/>
        <source>{0} waiting</source>
        <translation>{0} 个等待中</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="152"/>
        <source>You serve no queue.</source>
        <translation>您没有负责的队列。</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="179"/>
        <source>Within the service level</source>
        <translation>符合服务水平</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="180"/>
        <source>Service level at risk</source>
        <translation>服务水平有风险</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="181"/>
        <source>Service level breached</source>
        <translation>已超出服务水平</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="65"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="65"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="65"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="66"/>
        <source>Waiting conversations</source>
        <translation>等待中的会话</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="76"/>
        <source>Pick</source>
        <translation>领取</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="77"/>
        <source>Take the conversation chosen in the list (Enter in the list)</source>
        <translation>领取列表中选中的会话（在列表中按 Enter）</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="156"/>
        <source>Chat</source>
        <translation>在线聊天</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="156"/>
        <source>Email</source>
        <translation>邮件</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="157"/>
        <source>Voice</source>
        <translation>语音</translation>
    </message>
</context>
<context>
    <name>ScreenPopToast</name>
    <message>
        <location filename="../../ui/screen_pop.py" line="30"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../ui/screen_pop.py" line="32"/>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <location filename="../../ui/screen_pop.py" line="58"/>
        <source>New conversation: {0}</source>
        <translation>新会话：{0}</translation>
    </message>
</context>
<context>
    <name>SearchPopup</name>
    <message>
        <location filename="../../ui/search_popup.py" line="60"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../ui/search_popup.py" line="69"/>
        <source>Search customers, phone numbers, emails and messages…</source>
        <translation>搜索客户、电话、邮箱和消息…</translation>
    </message>
    <message>
        <location filename="../../ui/search_popup.py" line="89"/>
        <location filename="../../ui/search_popup.py" line="113"/>
        <source>Type at least one character. Works offline.</source>
        <translation>至少输入一个字符。离线也可使用。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/search_popup.py" line="121"/>
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n 位客户</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/search_popup.py" line="123"/>
        <source>Nothing in the local cache matches.</source>
        <translation>本地缓存中没有匹配项。</translation>
    </message>
    <message>
        <location filename="../../ui/search_popup.py" line="155"/>
        <source>from the hub</source>
        <translation>来自服务器</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings_dialog.py" line="50"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="54"/>
        <source>Enter sends, Shift+Enter adds a line</source>
        <translation>Enter 发送，Shift+Enter 换行</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="55"/>
        <source>Ctrl+Enter sends, Enter adds a line</source>
        <translation>Ctrl+Enter 发送，Enter 换行</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="60"/>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="64"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="65"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="69"/>
        <source>Empty: run a local hub on this computer</source>
        <translation>留空：在本机运行本地服务</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="73"/>
        <source>e.g. store:shanghai — empty: off</source>
        <translation>例如 store:shanghai — 留空：关闭</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="75"/>
        <source>Store mode keeps every customer with this tag, and their history, on this computer, so walk-in customers can be looked up while offline.</source>
        <translation>门店模式会在本机保存带有此标签的所有客户及其历史记录，离线时也能查找到店客户。</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="78"/>
        <source>Accept offered chats at once</source>
        <translation>自动接受分配的聊天</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="81"/>
        <source>Chats offered to you open without ringing; calls and emails still ring.</source>
        <translation>分配给您的聊天直接打开，不再提醒；来电和邮件仍会提醒。</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="84"/>
        <source>Sending</source>
        <translation>发送方式</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="85"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="86"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="87"/>
        <source>Hub address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="88"/>
        <source>Store mode</source>
        <translation>门店模式</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="89"/>
        <source>Offers</source>
        <translation>分配</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="91"/>
        <source>The hub address takes effect the next time Zuoxi starts; the language at once.</source>
        <translation>服务器地址将在下次启动坐席时生效；语言立即生效。</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="106"/>
        <source>&amp;General</source>
        <translation>常规(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="112"/>
        <source>&amp;Email</source>
        <translation>邮件(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Quick replies</source>
        <translation>快捷回复(&amp;Q)</translation>
    </message>
    <message>
        <source>Notification sound volume</source>
        <translation>提示音音量</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>Notification sounds</source>
        <translation>提示音</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>高对比度</translation>
    </message>
    <message>
        <source>High contrast, larger buttons, fewer panels</source>
        <translation>高对比度、更大的按钮、更少的面板</translation>
    </message>
    <message>
        <source>Easy mode</source>
        <translation>简易模式</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>文字大小</translation>
    </message>
    <message>
        <source>&amp;Telephony</source>
        <translation>电话(&amp;T)</translation>
    </message>
</context>
<context>
    <name>SlaCountdown</name>
    <message>
        <location filename="../../ui/sla_countdown.py" line="65"/>
        <source>{0} d</source>
        <translation>{0} 天</translation>
    </message>
    <message>
        <location filename="../../ui/sla_countdown.py" line="77"/>
        <source>Service level breached {0} ago</source>
        <translation>已超出服务水平 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sla_countdown.py" line="80"/>
        <source>Response due in {0}</source>
        <translation>需在 {0} 内回复</translation>
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
        <location filename="../../ui/time_text.py" line="89"/>
        <source>Yesterday {0}</source>
        <translation>昨天 {0}</translation>
    </message>
</context>
<context>
    <name>TimelinePanel</name>
    <message>
        <location filename="../../ui/timeline_view.py" line="185"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../ui/profile/timeline_view.py" line="190"/>
        <source>Satisfaction rating</source>
        <translation>满意度评价</translation>
    </message>
    <message>
        <location filename="../../ui/profile/timeline_view.py" line="192"/>
        <source>Recommendation score (NPS)</source>
        <translation>推荐度（NPS）</translation>
    </message>
    <message>
        <location filename="../../ui/profile/timeline_view.py" line="206"/>
        <source>%1 of %2</source>
        <translation>%1 分（满分 %2 分）</translation>
    </message>
    <message>
        <location filename="../../ui/profile/timeline_view.py" line="209"/>
        <source>solved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <location filename="../../ui/profile/timeline_view.py" line="210"/>
        <source>not solved</source>
        <translation>未解决</translation>
    </message>
    <message>
        <location filename="../../ui/timeline_view.py" line="188"/>
        <source>Contact</source>
        <translation>联系</translation>
    </message>
    <message>
        <location filename="../../ui/timeline_view.py" line="197"/>
        <source>not yet synced</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location filename="../../ui/timeline_view.py" line="199"/>
        <source>not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <location filename="../../ui/timeline_view.py" line="202"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../ui/timeline_view.py" line="211"/>
        <source>%n message(s)</source>
        <translation>%n 条消息</translation>
    </message>
    <message>
        <location filename="../../ui/timeline_view.py" line="224"/>
        <source>All channels</source>
        <translation>全部渠道</translation>
    </message>
    <message>
        <location filename="../../ui/timeline_view.py" line="269"/>
        <source>No interactions yet</source>
        <translation>暂无互动</translation>
    </message>
    <message>
        <source>Reached out</source>
        <translation>主动联系</translation>
    </message>
    <message>
        <source>Proactive message</source>
        <translation>主动消息</translation>
    </message>
    <message>
        <source>by email</source>
        <translation>通过邮件</translation>
    </message>
    <message>
        <source>in the web chat</source>
        <translation>在网页聊天中</translation>
    </message>
    <message>
        <source>trigger %1</source>
        <translation>触发规则 %1</translation>
    </message>
    <message>
        <source>Play recordin&amp;g…</source>
        <translation>播放录音(&amp;G)…</translation>
    </message>
    <message>
        <source>Play the call recordings of the selected conversation</source>
        <translation>播放所选会话的通话录音</translation>
    </message>
</context>
<context>
    <name>TranscriptDialog</name>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="23"/>
        <source>Transcript</source>
        <translation>会话记录</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="27"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="41"/>
        <source>You may not read this conversation.</source>
        <translation>您无权查看此会话。</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="42"/>
        <source>This conversation no longer exists.</source>
        <translation>此会话已不存在。</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="44"/>
        <source>Transcript unavailable</source>
        <translation>会话记录不可用</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="45"/>
        <source>The hub could not be asked ({0}).</source>
        <translation>无法查询服务器（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="53"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="54"/>
        <source>closed</source>
        <translation>已结束</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/transcript_dialog.py" line="56"/>
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n 条消息</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="58"/>
        <source>offline: from the local cache</source>
        <translation>离线：来自本地缓存</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="63"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="64"/>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="65"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../ui/profile/transcript_dialog.py" line="90"/>
        <source>Call transcript</source>
        <translation>通话转写</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="73"/>
        <source>Transfer {0}</source>
        <translation>转接 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="75"/>
        <source>To a &amp;colleague</source>
        <translation>转给同事(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="76"/>
        <source>To a &amp;queue</source>
        <translation>转到队列(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="89"/>
        <source>Internal note for the next agent (the customer does not see it)</source>
        <translation>给下一位坐席的内部备注（客户看不到）</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="91"/>
        <source>The customer is told that a colleague takes over.</source>
        <translation>系统会告知客户由同事接手。</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="95"/>
        <source>Transfer</source>
        <translation>转接</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="108"/>
        <source>&amp;Note</source>
        <translation>备注(&amp;N)</translation>
    </message>
</context>
<context>
    <name>WalkInDialog</name>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="49"/>
        <source>Walk-in customer</source>
        <translation>到店客户</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="56"/>
        <source>Name, phone or email</source>
        <translation>姓名、电话或邮箱</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="83"/>
        <source>What did the customer come in for?</source>
        <translation>客户这次来店的目的？</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="85"/>
        <source>Record visit</source>
        <translation>登记到访</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="86"/>
        <source>Saved here at once; sent to the hub when online</source>
        <translation>立即保存在本机；在线时发送到服务器</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="100"/>
        <source>Visit note</source>
        <translation>到访备注</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="133"/>
        <source>No customer in the local cache matches “{0}”.</source>
        <translation>本地缓存中没有与“{0}”匹配的客户。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/walk_in_dialog.py" line="136"/>
        <source>%n customer(s) found</source>
        <translation>
            <numerusform>找到 %n 位客户</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="166"/>
        <source>Searching the customers of your conversations. Turn on store mode in Settings to keep all of a store&apos;s customers here.</source>
        <translation>正在搜索您会话中的客户。在设置中开启门店模式，可在本机保存门店的全部客户。</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="169"/>
        <source>Store mode ({0}): loading customers… {1} so far</source>
        <translation>门店模式（{0}）：正在加载客户… 已加载 {1} 位</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="172"/>
        <source>Store mode ({0}): {1} customers available offline</source>
        <translation>门店模式（{0}）：{1} 位客户可离线查找</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="186"/>
        <source>The note is too long (at most {0} characters).</source>
        <translation>备注过长（最多 {0} 个字符）。</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="195"/>
        <source>Visit recorded.</source>
        <translation>到访已登记。</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="196"/>
        <source>Visit recorded; it will be sent when you are back online.</source>
        <translation>到访已登记；恢复在线后将发送到服务器。</translation>
    </message>
</context>
<context>
    <name>WrapUpDialog</name>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="32"/>
        <source>Wrap up the call</source>
        <translation>通话小结</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="34"/>
        <source>Call with {0} · {1}</source>
        <translation>与 {0} 的通话 · {1}</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="38"/>
        <source>Choose an outcome…</source>
        <translation>选择处理结果…</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="41"/>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="43"/>
        <source>What was agreed, what happens next</source>
        <translation>达成了什么、下一步做什么</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="49"/>
        <source>&amp;Outcome</source>
        <translation>处理结果(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="50"/>
        <source>&amp;Note</source>
        <translation>备注(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="53"/>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="54"/>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="64"/>
        <source>The hub has not sent its list of outcomes yet.</source>
        <translation>服务器尚未发送处理结果列表。</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="75"/>
        <source>Choose an outcome first.</source>
        <translation>请先选择处理结果。</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="79"/>
        <source>The note is too long ({0} characters, at most {1}).</source>
        <translation>备注过长（{0} 个字符，最多 {1} 个）。</translation>
    </message>
</context>
<context>
    <name>Placeholders</name>
    <message>
        <source>Fill in {0} before sending (it is selected: type to replace it).</source>
        <translation>发送前请先填写 {0}（已选中，直接输入即可替换）。</translation>
    </message>
</context>
<context>
    <name>QuickRepliesPage</name>
    <message>
        <source>Search: words, shortcut or pinyin initials</source>
        <translation>搜索：文字、快捷词或拼音首字母</translation>
    </message>
    <message>
        <source>&amp;New reply</source>
        <translation>新建回复(&amp;N)</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>删除(&amp;L)</translation>
    </message>
    <message>
        <source>e.g. refund — typed after /</source>
        <translation>例如 tuihuo — 在 / 后输入</translation>
    </message>
    <message>
        <source>Chat and email</source>
        <translation>聊天和邮件</translation>
    </message>
    <message>
        <source>Chat only</source>
        <translation>仅聊天</translation>
    </message>
    <message>
        <source>Email only</source>
        <translation>仅邮件</translation>
    </message>
    <message>
        <source>Personal (only me)</source>
        <translation>个人（仅自己）</translation>
    </message>
    <message>
        <source>Team (everyone)</source>
        <translation>团队（所有人）</translation>
    </message>
    <message>
        <source>Variables: {{customer.name}}, {{agent.name}}, {{conversation.id}}, {{customer.&lt;attribute&gt;}}; a fallback after |, e.g. {{customer.name|您好}}. [[order number]] is a placeholder the agent must fill in before sending.</source>
        <translation>变量：{{customer.name}}、{{agent.name}}、{{conversation.id}}、{{customer.&lt;属性&gt;}}；| 后写缺省值，例如 {{customer.name|您好}}。[[订单号]] 是占位符，坐席发送前必须填写。</translation>
    </message>
    <message>
        <source>A team reply: only supervisors can change it.</source>
        <translation>团队回复：只有主管可以修改。</translation>
    </message>
    <message>
        <source>&amp;Save reply</source>
        <translation>保存回复(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Title</source>
        <translation>标题(&amp;T)</translation>
    </message>
    <message>
        <source>S&amp;hortcut</source>
        <translation>快捷词(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Category</source>
        <translation>分类(&amp;C)</translation>
    </message>
    <message>
        <source>C&amp;hannel</source>
        <translation>渠道(&amp;H)</translation>
    </message>
    <message>
        <source>Sc&amp;ope</source>
        <translation>范围(&amp;O)</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Personal</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>waiting to sync</source>
        <translation>等待同步</translation>
    </message>
    <message>
        <source>refused by the hub</source>
        <translation>被服务器拒绝</translation>
    </message>
    <message>
        <source>Read-only: a team reply</source>
        <translation>只读：团队回复</translation>
    </message>
    <message>
        <source>A reply needs a title and a text.</source>
        <translation>回复需要标题和内容。</translation>
    </message>
    <message>
        <source>A shortcut is one word, without spaces or &quot;/&quot;.</source>
        <translation>快捷词是一个词，不能包含空格或“/”。</translation>
    </message>
    <message>
        <source>Only supervisors can change team replies.</source>
        <translation>只有主管可以修改团队回复。</translation>
    </message>
    <message>
        <source>This reply no longer exists.</source>
        <translation>此回复已不存在。</translation>
    </message>
    <message>
        <source>A reply keeps its scope (personal or team).</source>
        <translation>回复的范围（个人或团队）不能更改。</translation>
    </message>
    <message>
        <source>The hub refused the change ({0}).</source>
        <translation>服务器拒绝了此修改（{0}）。</translation>
    </message>
</context>
<context>
    <name>QuickReplyPopup</name>
    <message>
        <source>↑↓ choose · Enter insert · Esc close</source>
        <translation>↑↓ 选择 · Enter 插入 · Esc 关闭</translation>
    </message>
    <message>
        <source>team</source>
        <translation>团队</translation>
    </message>
</context>
<context>
    <name>SuggestionCard</name>
    <message>
        <source>Insert ({0})</source>
        <translation>插入（{0}）</translation>
    </message>
    <message>
        <source>Helpful</source>
        <translation>有帮助</translation>
    </message>
    <message>
        <source>Wrong</source>
        <translation>不相关</translation>
    </message>
    <message>
        <source>Article</source>
        <translation>知识文章</translation>
    </message>
    <message>
        <source>Quick reply</source>
        <translation>快捷回复</translation>
    </message>
    <message>
        <source>Match {1} % · the customer wrote {0}</source>
        <translation>匹配度 {1}% · 客户提到 {0}</translation>
    </message>
</context>
<context>
    <name>SuggestionPanel</name>
    <message>
        <source>Suggested answers</source>
        <translation>推荐答案</translation>
    </message>
    <message>
        <source>Alt+1–3 inserts an answer</source>
        <translation>Alt+1–3 插入答案</translation>
    </message>
</context>
<context>
    <name>FeedbackView</name>
    <message>
        <source>Show the agents&apos; verdicts on suggestions</source>
        <translation>查看坐席对推荐答案的评价</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Not available now ({0}).</source>
        <translation>暂时无法获取（{0}）。</translation>
    </message>
    <message>
        <source>{0} helpful, {1} wrong</source>
        <translation>{0} 条有帮助，{1} 条不相关</translation>
    </message>
    <message>
        <source>helpful</source>
        <translation>有帮助</translation>
    </message>
    <message>
        <source>wrong</source>
        <translation>不相关</translation>
    </message>
    <message>
        <source>article</source>
        <translation>知识文章</translation>
    </message>
    <message>
        <source>quick reply</source>
        <translation>快捷回复</translation>
    </message>
</context>
<context>
    <name>Plurals</name>
    <message numerus="yes">
        <source>%n contact(s) in 30 days</source>
        <translation>
            <numerusform>30 天内联系 %n 次</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n 条消息</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s) in the last {0} days</source>
        <translation>
            <numerusform>最近 {0} 天内联系 %n 次</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RoutingNames</name>
    <message>
        <source>Web chat</source>
        <translation>网页聊天</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Billing</source>
        <translation>账单</translation>
    </message>
    <message>
        <source>Support mailbox</source>
        <translation>客服邮箱</translation>
    </message>
    <message>
        <source>Hotline</source>
        <translation>热线</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>Follow-up needed</source>
        <translation>需要跟进</translation>
    </message>
    <message>
        <source>Customer left</source>
        <translation>客户已离开</translation>
    </message>
    <message>
        <source>Compensated</source>
        <translation>已补偿</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>已升级</translation>
    </message>
    <message>
        <source>Refund issued</source>
        <translation>已退款</translation>
    </message>
    <message>
        <source>ended by the customer</source>
        <translation>客户挂断</translation>
    </message>
    <message>
        <source>ended by the agent</source>
        <translation>坐席挂断</translation>
    </message>
    <message>
        <source>declined</source>
        <translation>已拒接</translation>
    </message>
    <message>
        <source>not answered</source>
        <translation>未接听</translation>
    </message>
    <message>
        <source>no agent available</source>
        <translation>没有可用坐席</translation>
    </message>
    <message>
        <source>answered elsewhere</source>
        <translation>已在别处接听</translation>
    </message>
    <message>
        <source>transferred</source>
        <translation>已转接</translation>
    </message>
    <message>
        <source>the customer left</source>
        <translation>客户已离开</translation>
    </message>
    <message>
        <source>the agent left</source>
        <translation>坐席已离开</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>ShortcutSheet</name>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>Mood</name>
    <message>
        <location filename="../../ui/inbox/mood.py" line="1"/>
        <source>Mood: negative</source>
        <translation>情绪：负面</translation>
    </message>
    <message>
        <location filename="../../ui/inbox/mood.py" line="1"/>
        <source>Mood: positive</source>
        <translation>情绪：正面</translation>
    </message>
    <message>
        <location filename="../../ui/inbox/mood.py" line="1"/>
        <source>Mood: neutral</source>
        <translation>情绪：中性</translation>
    </message>
    <message>
        <location filename="../../ui/inbox/mood.py" line="1"/>
        <source>getting worse</source>
        <translation>正在变差</translation>
    </message>
    <message>
        <location filename="../../ui/inbox/mood.py" line="1"/>
        <source>getting better</source>
        <translation>正在好转</translation>
    </message>
    <message>
        <location filename="../../ui/inbox/mood.py" line="1"/>
        <source>{0}, {1}</source>
        <translation>{0}，{1}</translation>
    </message>
    <message>
        <location filename="../../ui/inbox/mood.py" line="1"/>
        <source>{0} · escalated</source>
        <translation>{0} · 已升级</translation>
    </message>
</context>
<context>
    <name>EscalationAlerts</name>
    <message>
        <location filename="../../ui/supervision/escalation_alerts.py" line="1"/>
        <source>complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/escalation_alerts.py" line="1"/>
        <source>asks for a person</source>
        <translation>要求人工</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/escalation_alerts.py" line="1"/>
        <source>repeated failure</source>
        <translation>反复出问题</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/escalation_alerts.py" line="1"/>
        <source>safety</source>
        <translation>安全问题</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/escalation_alerts.py" line="1"/>
        <source>very upset</source>
        <translation>非常不满</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/escalation_alerts.py" line="1"/>
        <source>Escalation: {0}</source>
        <translation>升级：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/escalation_alerts.py" line="1"/>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>EscalationDock</name>
    <message>
        <location filename="../../ui/supervision/escalation_alerts.py" line="1"/>
        <source>Escalations</source>
        <translation>升级提醒</translation>
    </message>
</context>
<context>
    <name>BubbleDelegate</name>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>Self-service bot</source>
        <translation>自助服务机器人</translation>
    </message>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>The customer asked for a person</source>
        <translation>客户要求转人工</translation>
    </message>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>The bot's answers did not help the customer</source>
        <translation>机器人的回答没有解决客户的问题</translation>
    </message>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>The bot had no answer to the customer's question</source>
        <translation>机器人没有找到客户问题的答案</translation>
    </message>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>The customer seemed upset or raised a complaint</source>
        <translation>客户情绪不满或提出投诉</translation>
    </message>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>The customer's profile says a person serves them</source>
        <translation>按客户资料应由人工服务</translation>
    </message>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>The customer uses the widget's easy mode (a person first)</source>
        <translation>客户使用网页客服的长辈模式（优先人工服务）</translation>
    </message>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>Handed over by the self-service bot: %1</source>
        <translation>自助服务机器人转人工：%1</translation>
    </message>
</context>
<context>
    <name>AgentTray</name>
    <message>
        <source>Presence</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Show Zuoxi</source>
        <translation>显示坐席</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n 条未读</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n 位等待中</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>接听</translation>
    </message>
</context>
<context>
    <name>CoachingNotesView</name>
    <message>
        <location filename="../../ui/supervision/coaching_notes.py" line="1"/>
        <source>{0} joined the conversation · {1}</source>
        <translation>{0} 加入了对话 · {1}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/coaching_notes.py" line="1"/>
        <source>Coaching from {0} · {1} · not shown to the customer</source>
        <translation>{0} 的辅导 · {1} · 客户看不到</translation>
    </message>
</context>
<context>
    <name>MonitorDock</name>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>Monitor</source>
        <translation>监控</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>Whisper to the agent (the customer never sees it) — Enter sends</source>
        <translation>悄悄提示坐席（客户永远看不到）— 回车发送</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>Message the customer as yourself — Enter sends</source>
        <translation>以你自己的名义给客户发消息 — 回车发送</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>Barge in</source>
        <translation>介入对话</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>Reassign…</source>
        <translation>重新分配…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>Stop monitoring</source>
        <translation>停止监控</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>No conversation monitored. Choose one with Supervise ▸ Monitor a conversation…</source>
        <translation>未监控任何对话。请通过“督导 ▸ 监控对话…”选择一个</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>{0}: the conversation is closed</source>
        <translation>{0}：对话已结束</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>{0}: opening…</source>
        <translation>{0}：正在打开…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>Opening the conversation…</source>
        <translation>正在打开对话…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>{0} with {1} · you have joined: the customer sees your messages</source>
        <translation>{0} 与 {1} · 你已介入：客户能看到你的消息</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>{0} with {1} · monitoring (read-only): the customer does not see you</source>
        <translation>{0} 与 {1} · 监控中（只读）：客户看不到你</translation>
    </message>
</context>
<context>
    <name>MonitorPicker</name>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Monitor a conversation</source>
        <translation>监控对话</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Not connected: the live list needs the hub.</source>
        <translation>未连接：实时列表需要连接服务器。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>No live chat or email right now.</source>
        <translation>当前没有进行中的聊天或邮件。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>{0} · {1} · agent {2} · since {3}</source>
        <translation>{0} · {1} · 坐席 {2} · 开始于 {3}</translation>
    </message>
</context>
<context>
    <name>AgentStateDialog</name>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Set an agent's state</source>
        <translation>设置坐席状态</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Why (kept in the audit log)</source>
        <translation>原因（记入审计日志）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Away because</source>
        <translation>离开原因</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>SuperviseMenu</name>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>S&amp;upervise</source>
        <translation>督导(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>&amp;Monitor a conversation…</source>
        <translation>监控对话(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>&amp;Whisper to the agent</source>
        <translation>悄悄提示坐席(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>&amp;Barge in</source>
        <translation>介入对话(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>&amp;Reassign…</source>
        <translation>重新分配(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>S&amp;top monitoring</source>
        <translation>停止监控(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Set an agent's &amp;state…</source>
        <translation>设置坐席状态(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Reassign the conversation</source>
        <translation>重新分配对话</translation>
    </message>
</context>
<context>
    <name>ArticleEditor</name>
    <message>
        <source>Comma-separated, e.g. returns, 退货</source>
        <translation>用逗号分隔，例如：退货, returns</translation>
    </message>
    <message>
        <source>Markdown. Put the sentence agents insert under a heading &quot;## Answer&quot; (or &quot;## 答案&quot;), or make it the first paragraph.</source>
        <translation>Markdown 格式。把坐席插入回复的那句话放在“## 答案”（或“## Answer”）标题下，或写成第一段。</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Save draft (Ctrl+S)</source>
        <translation>保存草稿 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Save and publish</source>
        <translation>保存并发布</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Edit article</source>
        <translation>编辑文章</translation>
    </message>
    <message>
        <source>New article</source>
        <translation>新文章</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>The history is not available now ({0}).</source>
        <translation>暂时无法查看版本历史（{0}）。</translation>
    </message>
    <message>
        <source>Version {0} · {1} · {2} · {3}</source>
        <translation>版本 {0} · {1} · {2} · {3}</translation>
    </message>
    <message>
        <source>An article needs a title and a body.</source>
        <translation>文章需要标题和正文。</translation>
    </message>
    <message>
        <source>Too long: at most 300 characters of title, 12,000 of body and 30 tags.</source>
        <translation>内容过长：标题最多 300 字，正文最多 12,000 字，标签最多 30 个。</translation>
    </message>
    <message>
        <source>Only supervisors and admins edit the knowledge base.</source>
        <translation>只有主管和管理员可以编辑知识库。</translation>
    </message>
</context>
<context>
    <name>ArticleView</name>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>已发布</translation>
    </message>
    <message>
        <source>Pick an article to read it.</source>
        <translation>选择一篇文章来阅读。</translation>
    </message>
    <message>
        <source>{0} · {1} · version {2} by {3} · {4}</source>
        <translation>{0} · {1} · 版本 {2}，作者 {3} · {4}</translation>
    </message>
    <message>
        <source>Tags: {0}</source>
        <translation>标签：{0}</translation>
    </message>
</context>
<context>
    <name>KnowledgeBaseWindow</name>
    <message>
        <source>Knowledge base</source>
        <translation>知识库</translation>
    </message>
    <message>
        <source>Search the knowledge base (works offline)</source>
        <translation>搜索知识库（离线也可用）</translation>
    </message>
    <message>
        <source>New article (Ctrl+N)</source>
        <translation>新文章 (Ctrl+N)</translation>
    </message>
    <message>
        <source>Edit (Ctrl+E)</source>
        <translation>编辑 (Ctrl+E)</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>matches: {0}</source>
        <translation>匹配：{0}</translation>
    </message>
    <message numerus="yes">
        <source>%n article(s) found</source>
        <translation>
            <numerusform>找到 %n 篇文章</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing in the knowledge base answers this.</source>
        <translation>知识库中没有相关答案。</translation>
    </message>
    <message numerus="yes">
        <source>%n article(s) on this desktop</source>
        <translation>
            <numerusform>本机共有 %n 篇文章</numerusform>
        </translation>
    </message>
    <message>
        <source>{0} — offline: searching this desktop&apos;s copy</source>
        <translation>{0} — 离线：正在搜索本机副本</translation>
    </message>
    <message>
        <source>{0} (copying from the hub: {1} of {2})</source>
        <translation>{0}（正在从服务器复制：{1} / {2}）</translation>
    </message>
    <message>
        <source>Saved here; the hub stores it when it is reachable.</source>
        <translation>已在本机保存；连上服务器后会自动存储。</translation>
    </message>
    <message>
        <source>Saving… (waiting for the hub)</source>
        <translation>正在保存…（等待服务器）</translation>
    </message>
</context>
<context>
    <name>DrillDialog</name>
    <message>
        <source>Behind the figures</source>
        <translation>数据明细</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Not available now ({0}).</source>
        <translation>暂时无法获取（{0}）。</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>已处理</translation>
    </message>
    <message>
        <source>Avg handle time</source>
        <translation>平均处理时长</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Queued at</source>
        <translation>排队时间</translation>
    </message>
    <message>
        <source>Wait</source>
        <translation>等待</translation>
    </message>
    <message>
        <source>{0}: {1} of {2}</source>
        <translation>{0}：显示 {1} / 共 {2}</translation>
    </message>
</context>
<context>
    <name>Supervision</name>
    <message>
        <source>Team</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>Service level by hour</source>
        <translation>各小时服务水平</translation>
    </message>
    <message>
        <source>hour</source>
        <translation>时</translation>
    </message>
    <message>
        <source>Offered by hour</source>
        <translation>各小时进线量</translation>
    </message>
    <message>
        <source>contacts</source>
        <translation>接触</translation>
    </message>
    <message>
        <source>Waiting, last hour</source>
        <translation>近一小时排队</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>排队</translation>
    </message>
    <message>
        <source>minutes ago</source>
        <translation>分钟前</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>在线聊天</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>语音</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>邮件</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>全部渠道</translation>
    </message>
    <message>
        <source>Whole centre</source>
        <translation>全中心</translation>
    </message>
    <message>
        <source>{0}: all queues</source>
        <translation>{0}：全部队列</translation>
    </message>
    <message>
        <source>{0} s</source>
        <translation>{0} 秒</translation>
    </message>
    <message>
        <source>{0}:{1:02d} min</source>
        <translation>{0}:{1:02d} 分</translation>
    </message>
    <message>
        <source>{0}:{1:02d} h</source>
        <translation>{0}:{1:02d} 小时</translation>
    </message>
    <message>
        <source>service level below target</source>
        <translation>服务水平低于目标</translation>
    </message>
    <message>
        <source>too many waiting</source>
        <translation>排队过多</translation>
    </message>
    <message>
        <source>open escalations</source>
        <translation>有未结升级</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Amber</source>
        <translation>黄色预警</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>红色告警</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>离开</translation>
    </message>
    <message>
        <source>After-call work</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>Not responding</source>
        <translation>无响应</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Waiting now</source>
        <translation>当前排队</translation>
    </message>
    <message>
        <source>Answered today</source>
        <translation>今日已接</translation>
    </message>
    <message>
        <source>Missed the standard</source>
        <translation>未达标准</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>放弃</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>转接</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Open escalations</source>
        <translation>未结升级</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>排队</translation>
    </message>
    <message>
        <source>Longest wait</source>
        <translation>最长等待</translation>
    </message>
    <message>
        <source>SL today</source>
        <translation>今日服务水平</translation>
    </message>
    <message>
        <source>SL 30 min</source>
        <translation>30分钟服务水平</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已接</translation>
    </message>
    <message>
        <source>ASA</source>
        <translation>平均应答</translation>
    </message>
    <message>
        <source>AHT</source>
        <translation>平均处理</translation>
    </message>
    <message>
        <source>Occupancy</source>
        <translation>占用率</translation>
    </message>
    <message>
        <source>FCR</source>
        <translation>首次解决率</translation>
    </message>
    <message>
        <source>CSAT</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>NPS</source>
        <translation>NPS</translation>
    </message>
    <message>
        <source>Escalations</source>
        <translation>升级</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Time in state</source>
        <translation>状态时长</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>已处理</translation>
    </message>
    <message>
        <source>Avg handle time</source>
        <translation>平均处理时长</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>{0} (disconnected)</source>
        <translation>{0}（已断线）</translation>
    </message>
    <message>
        <source>Enter or double-click: what is behind these figures</source>
        <translation>回车或双击：查看这些数据的明细</translation>
    </message>
</context>
<context>
    <name>SupervisionActions</name>
    <message>
        <source>Supervisor &amp;workspace</source>
        <translation>主管工作台(&amp;W)</translation>
    </message>
    <message>
        <source>Wall&amp;board</source>
        <translation>大屏看板(&amp;B)</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>The hub gives no figures now ({0}).</source>
        <translation>中心暂时不提供数据（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/supervision_actions.py" line="1"/>
        <source>History</source>
        <translation>历史报表</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/supervision_actions.py" line="1"/>
        <source>Weekly reports</source>
        <translation>周报</translation>
    </message>
</context>
<context>
    <name>SupervisorWorkspace</name>
    <message>
        <source>Supervisor workspace</source>
        <translation>主管工作台</translation>
    </message>
    <message>
        <source>Waiting for the hub&apos;s figures…</source>
        <translation>正在等待中心的数据…</translation>
    </message>
    <message>
        <source>All queues</source>
        <translation>全部队列</translation>
    </message>
    <message>
        <source>Roster of &amp;queue:</source>
        <translation>按队列查看坐席(&amp;Q)：</translation>
    </message>
    <message>
        <source>Set the agent's &amp;state…</source>
        <translation>设置该坐席的状态(&amp;S)…</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>全部班组</translation>
    </message>
    <message>
        <source>&amp;Team:</source>
        <translation>班组(&amp;T)：</translation>
    </message>
    <message>
        <source>Supervision</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>&amp;Wallboard</source>
        <translation>大屏看板(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Behind the figures</source>
        <translation>数据明细(&amp;B)</translation>
    </message>
    <message>
        <source>Filter the roster</source>
        <translation>筛选坐席</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Updated {0}</source>
        <translation>更新于 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/workspace.py" line="1"/>
        <source>Live figures</source>
        <translation>实时数据</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/workspace.py" line="1"/>
        <source>Show {0}</source>
        <translation>显示{0}</translation>
    </message>
</context>
<context>
    <name>Wallboard</name>
    <message>
        <source>Wallboard</source>
        <translation>大屏看板</translation>
    </message>
    <message>
        <source>Queue {0} of {1}</source>
        <translation>队列 {0} / {1}</translation>
    </message>
</context>
<context>
    <name>AppealDialog</name>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="152"/>
        <source>Appeal this score</source>
        <translation>申诉此评分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="154"/>
        <source>Why is this score wrong? A supervisor will read it.</source>
        <translation>为什么这个评分有误？主管会阅读您的理由。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="157"/>
        <source>Send the appeal</source>
        <translation>提交申诉</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="166"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>Quality</name>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="23"/>
        <source>Greeting</source>
        <translation>问候语</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="24"/>
        <source>Closing</source>
        <translation>结束语</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="25"/>
        <source>Required phrase</source>
        <translation>必说话术</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="26"/>
        <source>Banned phrase</source>
        <translation>禁用语</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="27"/>
        <source>First response time</source>
        <translation>首次响应时间</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="28"/>
        <source>Average response time</source>
        <translation>平均响应时间</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="29"/>
        <source>Empathy</source>
        <translation>安抚共情</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="30"/>
        <source>Resolution confirmed</source>
        <translation>确认解决</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="31"/>
        <source>Customer mood</source>
        <translation>客户情绪</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="32"/>
        <source>Transfer note</source>
        <translation>转接备注</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="39"/>
        <source>Passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="40"/>
        <source>Failed</source>
        <translation>未通过</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="41"/>
        <source>Not applicable</source>
        <translation>不适用</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="56"/>
        <source>Greeted with “{0}”</source>
        <translation>已问候：“{0}”</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="57"/>
        <source>No greeting in the first reply</source>
        <translation>首条回复没有问候语</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="58"/>
        <source>Closed with “{0}”</source>
        <translation>已用结束语：“{0}”</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="59"/>
        <source>No closing in the last replies</source>
        <translation>最后几条回复没有结束语</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="60"/>
        <source>Said “{0}”</source>
        <translation>说了“{0}”</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="61"/>
        <source>The required phrase was never said</source>
        <translation>始终未说必说话术</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="62"/>
        <source>No banned phrase</source>
        <translation>未使用禁用语</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="63"/>
        <source>Said “{0}” (messages: {1})</source>
        <translation>说了“{0}”（{1} 条消息）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="65"/>
        <source>Answered in {0} s (standard {1} s)</source>
        <translation>{0} 秒内接听（标准 {1} 秒）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="67"/>
        <source>Answered after {0} s (standard {1} s)</source>
        <translation>{0} 秒后才接听（标准 {1} 秒）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="70"/>
        <source>First reply after {0} s (standard {1} s)</source>
        <translation>首次回复用时 {0} 秒（标准 {1} 秒）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="73"/>
        <source>First reply late: {0} s (standard {1} s)</source>
        <translation>首次回复超时：{0} 秒（标准 {1} 秒）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="76"/>
        <source>Average reply {0} s (standard {1} s; replies: {2})</source>
        <translation>平均回复 {0} 秒（标准 {1} 秒；回复 {2} 次）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="79"/>
        <source>Average reply too slow: {0} s (standard {1} s; replies: {2})</source>
        <translation>平均回复过慢：{0} 秒（标准 {1} 秒；回复 {2} 次）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="82"/>
        <source>Empathy shown: “{0}”</source>
        <translation>已安抚：“{0}”</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="84"/>
        <source>The customer was upset and got no empathy</source>
        <translation>客户情绪不佳，但未得到安抚</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="86"/>
        <source>Asked whether it was solved: “{0}”</source>
        <translation>已确认是否解决：“{0}”</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="88"/>
        <source>The customer confirmed: “{0}”</source>
        <translation>客户已确认：“{0}”</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="90"/>
        <source>Nobody confirmed the problem was solved</source>
        <translation>无人确认问题已解决</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="92"/>
        <source>Mood held: {0} at the start, {1} at the end</source>
        <translation>情绪平稳：开始 {0}，结束 {1}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="95"/>
        <source>Mood fell from {0} to {1} (at most {2} allowed)</source>
        <translation>情绪从 {0} 降到 {1}（最多允许下降 {2}）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="98"/>
        <source>Transferred with a note</source>
        <translation>转接时附有备注</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="99"/>
        <source>Transferred without a note</source>
        <translation>转接时没有备注</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="100"/>
        <source>No reply from an agent</source>
        <translation>坐席没有回复</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="101"/>
        <source>No response standard for this channel</source>
        <translation>该渠道没有响应标准</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="102"/>
        <source>The call was not answered</source>
        <translation>通话未接听</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="103"/>
        <source>No message waited for a reply</source>
        <translation>没有等待回复的消息</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="104"/>
        <source>The customer was never upset</source>
        <translation>客户情绪一直正常</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="105"/>
        <source>Too few messages to compare the mood</source>
        <translation>消息太少，无法比较情绪</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="106"/>
        <source>Not transferred</source>
        <translation>未转接</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="107"/>
        <source>Not checked on this channel</source>
        <translation>该渠道不检查此项</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="108"/>
        <source>No transcript of the call</source>
        <translation>该通话没有转写文本</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="119"/>
        <source>Not reviewed</source>
        <translation>未复核</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="120"/>
        <source>Waiting for review</source>
        <translation>待复核</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="121"/>
        <source>Confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="122"/>
        <source>Overridden</source>
        <translation>已改分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="123"/>
        <source>Appealed</source>
        <translation>已申诉</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="131"/>
        <source>Fatal</source>
        <translation>致命项</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="132"/>
        <source>Low score</source>
        <translation>低分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="133"/>
        <source>Sampled</source>
        <translation>抽检</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="134"/>
        <source>Appeal</source>
        <translation>申诉</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="140"/>
        <source>Scored</source>
        <translation>已评分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="141"/>
        <source>Scored again</source>
        <translation>已重新评分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="142"/>
        <source>Sent to review</source>
        <translation>已送复核</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="155"/>
        <source>{0} (was {1})</source>
        <translation>{0}（原 {1}）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="162"/>
        <source>Not connected: scores are kept on the hub.</source>
        <translation>未连接：评分保存在服务器上。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="163"/>
        <source>The hub did not answer in time.</source>
        <translation>服务器未及时响应。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="164"/>
        <source>The hub refused: this is for supervisors.</source>
        <translation>服务器拒绝：此功能仅限主管。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="165"/>
        <source>No score for this conversation.</source>
        <translation>该会话没有评分。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="166"/>
        <source>The hub refused: the score changed meanwhile.</source>
        <translation>服务器拒绝：评分已在此期间发生变化。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="168"/>
        <source>The hub refused ({0}).</source>
        <translation>服务器拒绝（{0}）。</translation>
    </message>
</context>
<context>
    <name>QualityActions</name>
    <message>
        <location filename="../../ui/supervision/quality_actions.py" line="32"/>
        <source>My &amp;quality scores</source>
        <translation>我的质检评分(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_actions.py" line="36"/>
        <source>Quality &amp;review</source>
        <translation>质检复核(&amp;R)</translation>
    </message>
</context>
<context>
    <name>QualityDetail</name>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="52"/>
        <source>Choose a score to see its rules and evidence.</source>
        <translation>选择一条评分，查看各项规则和依据。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="60"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="60"/>
        <source>Verdict</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="60"/>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="61"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="86"/>
        <source>History of this score</source>
        <translation>评分记录</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="117"/>
        <source>Score {0}</source>
        <translation>得分 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="118"/>
        <source>closed {0}</source>
        <translation>结束于 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="120"/>
        <source>FATAL</source>
        <translation>致命</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="126"/>
        <source>Appeal: {0}</source>
        <translation>申诉：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="139"/>
        <source>{0} · fatal</source>
        <translation>{0} · 致命</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="158"/>
        <source>quality inspection</source>
        <translation>质检系统</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="159"/>
        <source>you</source>
        <translation>您</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="160"/>
        <source>a supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="161"/>
        <source>the agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="164"/>
        <source>score {0}</source>
        <translation>{0} 分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="174"/>
        <source>The conversation could not be read now.</source>
        <translation>暂时无法读取该会话。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="177"/>
        <source>Conversation (from this computer's cache)</source>
        <translation>会话（来自本机缓存）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="178"/>
        <source>Conversation (as the hub keeps it)</source>
        <translation>会话（来自服务器）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="200"/>
        <source>at {0}</source>
        <translation>于 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="201"/>
        <source>a message no longer stored</source>
        <translation>已不再保存的消息</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="249"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="250"/>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="251"/>
        <source>Bot</source>
        <translation>机器人</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="252"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
</context>
<context>
    <name>QualityReviewWindow</name>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="52"/>
        <source>Quality review</source>
        <translation>质检复核</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="57"/>
        <source>Review &amp;queue</source>
        <translation>复核队列(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="58"/>
        <source>&amp;Figures</source>
        <translation>统计(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="73"/>
        <source>Loading the review queue…</source>
        <translation>正在加载复核队列…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="81"/>
        <source>Your comment (the agent reads it)</source>
        <translation>您的意见（坐席可见）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="86"/>
        <source> points</source>
        <translation> 分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="87"/>
        <source>&amp;Confirm the score</source>
        <translation>确认评分(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="89"/>
        <source>&amp;Override with this score</source>
        <translation>改为此分数(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="93"/>
        <source>Co&amp;mment</source>
        <translation>意见(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="94"/>
        <source>New &amp;score</source>
        <translation>新分数(&amp;S)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/supervision/quality_review.py" line="132"/>
        <source>%n score(s) waiting for review</source>
        <translation>
            <numerusform>%n 条评分待复核</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="133"/>
        <source>Nothing waits for review.</source>
        <translation>没有待复核的评分。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="174"/>
        <source>Sending your decision…</source>
        <translation>正在提交您的决定…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="178"/>
        <source>The hub took the decision.</source>
        <translation>服务器已接受该决定。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/supervision/quality_review.py" line="187"/>
        <source>Last %n day(s)</source>
        <translation>
            <numerusform>最近 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="192"/>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="192"/>
        <source>Conversations</source>
        <translation>会话数</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="192"/>
        <source>Mean score</source>
        <translation>平均分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="193"/>
        <source>Fatal</source>
        <translation>致命项</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="194"/>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="196"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="196"/>
        <source>Failed</source>
        <translation>未通过</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="196"/>
        <source>Checked</source>
        <translation>检查数</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="197"/>
        <source>Failed %</source>
        <translation>未通过率 %</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="205"/>
        <source>Per agent</source>
        <translation>按坐席</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="206"/>
        <source>Per queue</source>
        <translation>按队列</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="208"/>
        <source>Per team</source>
        <translation>按团队</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="196"/>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="207"/>
        <source>Most-failed rules</source>
        <translation>最常未通过的规则</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/supervision/quality_review.py" line="239"/>
        <source>%n scored conversation(s)</source>
        <translation>
            <numerusform>%n 个已评分会话</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QualityScoresWindow</name>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="189"/>
        <source>My quality scores</source>
        <translation>我的质检评分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="192"/>
        <source>Loading your scores…</source>
        <translation>正在加载您的评分…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="198"/>
        <source>&amp;Appeal…</source>
        <translation>申诉(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="223"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="227"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/supervision/quality_scores.py" line="251"/>
        <source>%n scored conversation(s)</source>
        <translation>
            <numerusform>%n 个已评分会话</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="252"/>
        <source>No scored conversation yet.</source>
        <translation>还没有已评分的会话。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="280"/>
        <source>You may appeal until {0}.</source>
        <translation>您可以在 {0} 之前申诉。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="281"/>
        <source>Your appeal is being sent.</source>
        <translation>您的申诉正在发送。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="282"/>
        <source>Appealed: a score is appealed once.</source>
        <translation>已申诉：每个评分只能申诉一次。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="283"/>
        <source>The appeal window closed on {0}.</source>
        <translation>申诉期已于 {0} 结束。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="284"/>
        <source>Only the scored agent may appeal.</source>
        <translation>只有被评分的坐席可以申诉。</translation>
    </message>
</context>
<context>
    <name>ScoreList</name>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="53"/>
        <source>Closed</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="53"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="53"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="53"/>
        <source>Fatal</source>
        <translation>致命项</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="54"/>
        <source>Review</source>
        <translation>复核</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="56"/>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="74"/>
        <source>fatal</source>
        <translation>致命</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>&amp;Show</source>
        <translation>显示(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>&amp;Export CSV…</source>
        <translation>导出 CSV(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Choose a range and show its figures.</source>
        <translation>选择日期范围并显示其数据。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>&amp;From:</source>
        <translation>起始(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>&amp;To:</source>
        <translation>截止(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>&amp;Group by:</source>
        <translation>分组方式(&amp;G)：</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Days are UTC, both included; at most {0} days.</source>
        <translation>日期按 UTC 计算，首尾两天均包含；最多 {0} 天。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Show the history</source>
        <translation>显示历史报表</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Export the history as CSV</source>
        <translation>将历史报表导出为 CSV</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>The hub is computing the figures…</source>
        <translation>服务器正在计算数据…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>%n group(s).</source>
        <translation>
            <numerusform>共 %n 组。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Choose at most {0} days; the hub's command line exports longer ranges (zuoxi-hub report history).</source>
        <translation>最多选择 {0} 天；更长的范围请在服务器命令行导出（zuoxi-hub report history）。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>The last day must not be before the first.</source>
        <translation>截止日期不能早于起始日期。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Reports are for supervisors: the hub refused.</source>
        <translation>报表仅供主管查看：服务器已拒绝。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>The hub refused this range.</source>
        <translation>服务器拒绝了这个日期范围。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Not connected to the hub; try again when connected.</source>
        <translation>未连接到服务器；连接后请重试。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>The hub could not make the report ({0}).</source>
        <translation>服务器无法生成报表（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Export the history</source>
        <translation>导出历史报表</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Could not write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Exported to {0}.</source>
        <translation>已导出到 {0}。</translation>
    </message>
</context>
<context>
    <name>SupervisionHistory</name>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Conversations and answered</source>
        <translation>会话量与接起量</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>contacts</source>
        <translation>联系</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Service level</source>
        <translation>服务水平</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Hour</source>
        <translation>小时</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Conversations</source>
        <translation>会话</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Offered</source>
        <translation>进线</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Answered</source>
        <translation>接起</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Avg speed of answer</source>
        <translation>平均应答速度</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Abandoned</source>
        <translation>放弃</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Abandon rate</source>
        <translation>放弃率</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Avg handle time</source>
        <translation>平均处理时长</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Occupancy</source>
        <translation>占用率</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>First contact resolution</source>
        <translation>首次解决率</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Transfers</source>
        <translation>转接</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>CSAT ratings</source>
        <translation>满意度评价数</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>CSAT average</source>
        <translation>满意度均分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Satisfied</source>
        <translation>满意率</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>NPS answers</source>
        <translation>NPS 答卷数</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>NPS</source>
        <translation>NPS</translation>
    </message>
</context>
<context>
    <name>WeeklyReportsView</name>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Made at</source>
        <translation>生成时间</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Open the &amp;page</source>
        <translation>打开网页版(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Open the P&amp;DF</source>
        <translation>打开 PDF(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>&amp;Make the report</source>
        <translation>生成周报(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Wee&amp;k of:</source>
        <translation>所在周(&amp;K)：</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>The hub makes each week's report (Monday to Sunday, UTC) on its schedule; a past week can be made here.</source>
        <translation>服务器按计划生成每周的周报（周一至周日，UTC）；已结束的周也可在此生成。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Refresh the weekly reports</source>
        <translation>刷新周报列表</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Open the weekly report's page</source>
        <translation>打开周报网页版</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Open the weekly report's PDF</source>
        <translation>打开周报 PDF</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Asking the hub…</source>
        <translation>正在询问服务器…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>The hub is making the report of the week of {0}…</source>
        <translation>服务器正在生成 {0} 所在周的周报…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>%n report(s).</source>
        <translation>
            <numerusform>共 %n 份周报。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Downloading…</source>
        <translation>正在下载…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Opened {0}.</source>
        <translation>已打开 {0}。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Ready</source>
        <translation>已生成</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Being made</source>
        <translation>生成中</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Failed (see the hub's log)</source>
        <translation>失败（见服务器日志）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Reports are for supervisors: the hub refused.</source>
        <translation>报表仅供主管查看：服务器已拒绝。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Choose a week that has ended.</source>
        <translation>请选择已经结束的一周。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>That week's report is being made now; refresh in a moment.</source>
        <translation>该周的周报正在生成；请稍后刷新。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>The hub no longer has that report; refresh the list.</source>
        <translation>服务器上已没有这份周报；请刷新列表。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Not connected to the hub; try again when connected.</source>
        <translation>未连接到服务器；连接后请重试。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>The hub could not do this ({0}).</source>
        <translation>服务器无法完成此操作（{0}）。</translation>
    </message>
</context>
<context>
    <name>FollowUpActions</name>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>Open a conversation first to make a follow-up of it.</source>
        <translation>请先打开一个会话，再为它新建工单。</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>Follow-up due: {0}</source>
        <translation>工单即将到期：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>{0}, due {1}</source>
        <translation>{0}，到期时间 {1}</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Change the due time</source>
        <translation>更改到期时间</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>New follow-up</source>
        <translation>新建工单</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>What is left to do (optional)</source>
        <translation>还需要做什么（可选）</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Customer:</source>
        <translation>客户：</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>&amp;Type:</source>
        <translation>类型(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>&amp;Due:</source>
        <translation>到期(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>&amp;Note:</source>
        <translation>备注(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Create</source>
        <translation>创建</translation>
    </message>
</context>
<context>
    <name>FollowUpModel</name>
    <message>
        <location filename="../../ui/followups/followup_list.py" line="1"/>
        <source>{0}, {1}, {2}, due {3}</source>
        <translation>{0}，{1}，{2}，到期时间 {3}</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_list.py" line="1"/>
        <source>Due {0}</source>
        <translation>到期时间 {0}</translation>
    </message>
</context>
<context>
    <name>FollowUpPane</name>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>No follow-ups. Make one from a conversation with Ctrl+Shift+J.</source>
        <translation>暂无工单。在会话中按 Ctrl+Shift+J 新建。</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>&amp;Waiting</source>
        <translation>等待客户(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>Waiting for the customer</source>
        <translation>等待客户回复</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>S&amp;olved</source>
        <translation>已解决(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>D&amp;ue…</source>
        <translation>到期(&amp;U)…</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>Change the due time</source>
        <translation>更改到期时间</translation>
    </message>
</context>
<context>
    <name>FollowUps</name>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Call back</source>
        <translation>回电</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Investigation</source>
        <translation>调查处理</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Waiting for customer</source>
        <translation>等待客户</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Solved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>The due time has passed.</source>
        <translation>到期时间已过。</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>The note is too long (at most {0} characters).</source>
        <translation>备注太长（最多 {0} 个字符）。</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>This follow-up is gone.</source>
        <translation>该工单已不存在。</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Only its owner or a supervisor may change this follow-up.</source>
        <translation>只有工单负责人或主管可以更改该工单。</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>The follow-up could not be saved ({0}).</source>
        <translation>工单未能保存（{0}）。</translation>
    </message>
</context>
<context>
    <name>ReachOutDialog</name>
    <message>
        <source>Reach out</source>
        <translation>主动联系</translation>
    </message>
    <message>
        <source>Reach out to {0}</source>
        <translation>主动联系 {0}</translation>
    </message>
    <message>
        <source>If the customer is online in the web chat, your message opens a chat with you there. Otherwise it is emailed to {0}.</source>
        <translation>如果客户正在网页聊天中在线，您的消息会在那里开启一个由您接待的对话；否则将通过邮件发送至 {0}。</translation>
    </message>
    <message>
        <source>If the customer is online in the web chat, your message opens a chat with you there. They have no email address, so otherwise it cannot be sent.</source>
        <translation>如果客户正在网页聊天中在线，您的消息会在那里开启一个由您接待的对话；该客户没有邮箱地址，否则无法发送。</translation>
    </message>
    <message>
        <source>Subject, if it is emailed</source>
        <translation>主题（通过邮件发送时使用）</translation>
    </message>
    <message>
        <source>Email subject</source>
        <translation>邮件主题</translation>
    </message>
    <message>
        <source>Your message to the customer</source>
        <translation>给客户的消息</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>&amp;Subject</source>
        <translation>主题(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation>消息(&amp;M)</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>RecordingPlayerDialog</name>
    <message>
        <source>Call recordings</source>
        <translation>通话录音</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>录音</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>Play or pause (Space)</source>
        <translation>播放或暂停（空格键）</translation>
    </message>
    <message>
        <source>Position in the recording</source>
        <translation>录音中的位置</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>保存(&amp;S)…</translation>
    </message>
    <message>
        <source>Save the recording as a file (Ctrl+S)</source>
        <translation>将录音保存为文件 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Loading the recordings of this conversation…</source>
        <translation>正在加载此会话的录音…</translation>
    </message>
    <message>
        <source>This conversation has no recordings you may play.</source>
        <translation>此会话没有您可以播放的录音。</translation>
    </message>
    <message>
        <source>Call recorded {0} ({1})</source>
        <translation>通话录音 {0}（{1}）</translation>
    </message>
    <message>
        <source>Fetching the recording…</source>
        <translation>正在获取录音…</translation>
    </message>
    <message>
        <source>The hub cannot be reached; try again when it is back.</source>
        <translation>无法连接服务器；请在恢复后重试。</translation>
    </message>
    <message>
        <source>Your session has expired; sign in again.</source>
        <translation>您的会话已过期；请重新登录。</translation>
    </message>
    <message>
        <source>You may not play this recording.</source>
        <translation>您无权播放此录音。</translation>
    </message>
    <message>
        <source>The recording is no longer kept.</source>
        <translation>此录音已不再保留。</translation>
    </message>
    <message>
        <source>The recording could not be fetched ({0}).</source>
        <translation>无法获取录音（{0}）。</translation>
    </message>
    <message>
        <source>The recording could not be played: {0}</source>
        <translation>无法播放录音：{0}</translation>
    </message>
    <message>
        <source>No audio output device: the recording cannot be played here. Save it and play it on another computer.</source>
        <translation>没有音频输出设备：无法在此播放录音。请保存后在其他电脑上播放。</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Save the recording</source>
        <translation>保存录音</translation>
    </message>
    <message>
        <source>Ogg Opus audio (*.ogg)</source>
        <translation>Ogg Opus 音频 (*.ogg)</translation>
    </message>
    <message>
        <source>Saved as {0}</source>
        <translation>已保存为 {0}</translation>
    </message>
</context>
<context>
    <name>DesktopTelephony</name>
    <message>
        <source>The telephone is switched on but its password is not stored: type it under Settings → Telephony.</source>
        <translation>电话已开启，但未保存密码：请在“设置 → 电话”中输入。</translation>
    </message>
    <message>
        <source>The PBX&apos;s certificate file cannot be read: {0}</source>
        <translation>无法读取交换机的证书文件：{0}</translation>
    </message>
    <message>
        <source>The telephone could not register at the PBX ({0}): check the account under Settings → Telephony.</source>
        <translation>电话无法在交换机注册（{0}）：请在“设置 → 电话”中检查账号。</translation>
    </message>
    <message>
        <source>Telephone ready: calls from the PBX ring here.</source>
        <translation>电话已就绪：交换机的来电会在这里振铃。</translation>
    </message>
</context>
<context>
    <name>TelephonyPage</name>
    <message>
        <source>&amp;Ring calls from the PBX on this computer (a SIP telephone)</source>
        <translation>在这台电脑上接听交换机来电（SIP 电话）(&amp;R)</translation>
    </message>
    <message>
        <source>e.g. 1001</source>
        <translation>例如 1001</translation>
    </message>
    <message>
        <source>e.g. pbx.example.com</source>
        <translation>例如 pbx.example.com</translation>
    </message>
    <message>
        <source>e.g. Lina Li</source>
        <translation>例如 李娜</translation>
    </message>
    <message>
        <source>Stored — type to change</source>
        <translation>已保存——输入即可修改</translation>
    </message>
    <message>
        <source>Not stored yet</source>
        <translation>尚未保存</translation>
    </message>
    <message>
        <source>Optional: a PEM file of the PBX&apos;s certificate</source>
        <translation>可选：交换机证书的 PEM 文件</translation>
    </message>
    <message>
        <source>Test re&amp;gistration</source>
        <translation>测试注册(&amp;G)</translation>
    </message>
    <message>
        <source>Registers once with these settings and this password, then unregisters</source>
        <translation>用这些设置和密码注册一次，然后注销</translation>
    </message>
    <message>
        <source>Testing the registration</source>
        <translation>正在测试注册</translation>
    </message>
    <message>
        <source>Result of the registration test</source>
        <translation>注册测试结果</translation>
    </message>
    <message>
        <source>PBX &amp;address</source>
        <translation>交换机地址(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>用户(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Domain / realm</source>
        <translation>域 / 认证域(&amp;D)</translation>
    </message>
    <message>
        <source>Display &amp;name</source>
        <translation>显示名称(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <source>Trusted &amp;certificate</source>
        <translation>受信任的证书(&amp;C)</translation>
    </message>
    <message>
        <source>The password is kept in the system keyring, never in the settings file.</source>
        <translation>密码保存在系统密钥环中，绝不写入设置文件。</translation>
    </message>
    <message>
        <source>This computer has no system keyring: the password is kept until Zuoxi closes and must be typed again after a restart.</source>
        <translation>此电脑没有系统密钥环：密码只保留到坐席关闭为止，重启后需要重新输入。</translation>
    </message>
    <message>
        <source>Type the password of the SIP account.</source>
        <translation>请输入 SIP 账号的密码。</translation>
    </message>
    <message>
        <source>Registering as {0} at {1}…</source>
        <translation>正在以 {0} 注册到 {1}…</translation>
    </message>
    <message>
        <source>The test could not run: {0}</source>
        <translation>无法进行测试：{0}</translation>
    </message>
    <message>
        <source>✓ Registered: the PBX accepted this account.</source>
        <translation>✓ 注册成功：交换机接受了此账号。</translation>
    </message>
    <message>
        <source>✗ Wrong user or password: the PBX refused the credentials ({0}).</source>
        <translation>✗ 用户或密码错误：交换机拒绝了凭据（{0}）。</translation>
    </message>
    <message>
        <source>✗ The PBX cannot be reached at this address (check the address, the port, the certificate and the network).</source>
        <translation>✗ 无法通过此地址连接交换机（请检查地址、端口、证书和网络）。</translation>
    </message>
    <message>
        <source>✗ The PBX did not answer in time. Try again, or ask its administrator.</source>
        <translation>✗ 交换机未及时应答。请重试，或联系其管理员。</translation>
    </message>
    <message>
        <source>✗ The PBX refused the registration ({0}).</source>
        <translation>✗ 交换机拒绝了注册（{0}）。</translation>
    </message>
    <message>
        <source>✗ The settings cannot be used: {0}</source>
        <translation>✗ 这些设置无法使用：{0}</translation>
    </message>
    <message>
        <source>The PBX address must start with wss:// (or ws://) and name a host.</source>
        <translation>交换机地址必须以 wss://（或 ws://）开头并包含主机名。</translation>
    </message>
    <message>
        <source>The user is the extension or SIP user name, without spaces or @.</source>
        <translation>用户是分机号或 SIP 用户名，不能包含空格或 @。</translation>
    </message>
    <message>
        <source>The domain (realm) is the PBX&apos;s SIP domain, e.g. pbx.example.com.</source>
        <translation>域（认证域）是交换机的 SIP 域，例如 pbx.example.com。</translation>
    </message>
</context>
<context>
    <name>CacheEncryptionWindow</name>
    <message>
        <source>Zuoxi: encrypting the local cache</source>
        <translation>坐席：正在加密本地缓存</translation>
    </message>
    <message>
        <source>Encrypting the local cache</source>
        <translation>正在加密本地缓存</translation>
    </message>
    <message>
        <source>This happens once, after the update: the copy of your conversations on this computer is being encrypted. Nothing is lost, replies not sent yet included. Zuoxi opens as soon as it is done.</source>
        <translation>更新后只需进行一次：正在加密此电脑上的会话副本。不会丢失任何内容，包括尚未发送的回复。完成后坐席会立即打开。</translation>
    </message>
    <message>
        <source>Writing the encrypted copy: {0} of {1} MB</source>
        <translation>正在写入加密副本：{0} / {1} MB</translation>
    </message>
    <message>
        <source>Checking the encrypted copy against the original…</source>
        <translation>正在将加密副本与原文件核对…</translation>
    </message>
    <message>
        <source>Replacing the unencrypted file and erasing it…</source>
        <translation>正在替换并擦除未加密的文件…</translation>
    </message>
    <message>
        <source>Done. Opening Zuoxi…</source>
        <translation>完成，正在打开坐席…</translation>
    </message>
</context>
<context>
    <name>CacheLockedDialog</name>
    <message>
        <source>The local cache is locked</source>
        <translation>本地缓存已锁定</translation>
    </message>
    <message>
        <source>The local cache is encrypted, and its key is not in this computer&apos;s keyring.</source>
        <translation>本地缓存已加密，但此电脑的密钥环中没有它的密钥。</translation>
    </message>
    <message>
        <source>The local cache is encrypted, and the key in this computer&apos;s keyring does not open it.</source>
        <translation>本地缓存已加密，但此电脑密钥环中的密钥无法打开它。</translation>
    </message>
    <message>
        <source>Re-sync: the locked file is set aside and your conversations are loaded again from the hub. Replies not sent yet stay in the locked file: they cannot be sent without its key.

Quit: bring the key back (unlock the keyring, or sign in to the desktop session that holds it) and start Zuoxi again. Nothing is changed.</source>
        <translation>重新同步：锁定的文件会被移到一旁，您的会话将从服务器重新加载。尚未发送的回复留在锁定的文件中：没有它的密钥就无法发送。

退出：找回密钥（解锁密钥环，或登录保存它的桌面会话），然后重新启动坐席。不会做任何更改。</translation>
    </message>
    <message>
        <source>File: {0}</source>
        <translation>文件：{0}</translation>
    </message>
    <message>
        <source>Re-sync from the hub</source>
        <translation>从服务器重新同步</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>DialDialog</name>
    <message>
        <source>Call a number</source>
        <translation>拨打号码</translation>
    </message>
    <message>
        <source>&amp;Number:</source>
        <translation>号码(&amp;N)：</translation>
    </message>
    <message>
        <source>Phone number or extension</source>
        <translation>电话号码或分机号</translation>
    </message>
    <message>
        <source>Number to call</source>
        <translation>要拨打的号码</translation>
    </message>
    <message>
        <source>&amp;Recent numbers:</source>
        <translation>最近拨打(&amp;R)：</translation>
    </message>
    <message>
        <source>Recent numbers</source>
        <translation>最近拨打的号码</translation>
    </message>
    <message>
        <source>&amp;Call</source>
        <translation>拨打(&amp;C)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Only digits, +, * and # can be dialled; “{0}” was left out.</source>
        <translation>只能拨打数字、+、* 和 #；已略去“{0}”。</translation>
    </message>
    <message>
        <source>A + can only be the first character.</source>
        <translation>+ 只能是第一个字符。</translation>
    </message>
    <message>
        <source>The number is longer than {0} characters.</source>
        <translation>号码超过 {0} 个字符。</translation>
    </message>
</context>
<context>
    <name>MaskedField</name>
    <message>
        <source>Masked: your role does not read this field in full</source>
        <translation>已遮蔽：您的角色无权查看此字段的完整内容</translation>
    </message>
    <message>
        <source>Reveal</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>Show the value once; the hub records who saw it</source>
        <translation>显示一次完整内容；服务器会记录查看人</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Revealing…</source>
        <translation>正在获取…</translation>
    </message>
    <message>
        <source>Revealed for you; recorded in the audit log</source>
        <translation>已为您显示；已记入审计日志</translation>
    </message>
</context>
<context>
    <name>KbListingProgress</name>
    <message>
        <source>Copying the knowledge base for offline search: {0} of {1}</source>
        <translation>正在复制知识库以供离线搜索：{0} / {1}</translation>
    </message>
    <message>
        <source>Knowledge base copied for offline search: {0} of {1}; the rest follows when online</source>
        <translation>已复制知识库以供离线搜索：{0} / {1}；其余部分在联网后继续</translation>
    </message>
    <message>
        <source>Copying the knowledge base for offline search: {0}</source>
        <translation>正在复制知识库以供离线搜索：{0}</translation>
    </message>
    <message>
        <source>Knowledge base copied for offline search: {0}; the rest follows when online</source>
        <translation>已复制知识库以供离线搜索：{0}；其余部分在联网后继续</translation>
    </message>
</context>
</TS>
