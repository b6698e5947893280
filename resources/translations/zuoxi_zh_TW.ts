<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>AgentStatusBar</name>
    <message>
        <location filename="../../ui/status_widgets.py" line="155"/>
        <source>Customer chat page: {0}</source>
        <translation>客戶聊天頁面：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="162"/>
        <source>While you were disconnected the hub set you to {0}.</source>
        <translation>您斷線期間，伺服器已將您的狀態設為「{0}」。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="164"/>
        <source>You missed several offers, so the hub set you to {0}.</source>
        <translation>您錯過了多個分配，伺服器已將您的狀態設為「{0}」。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="166"/>
        <source>The hub set you to {0}.</source>
        <translation>伺服器已將您的狀態設為「{0}」。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="171"/>
        <source>A message could not be sent ({0}). Double-click it to retry.</source>
        <translation>有一條訊息未能傳送（{0}）。雙擊該訊息可重試。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="172"/>
        <source>The conversation could not be closed ({0}).</source>
        <translation>會話未能結束（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="173"/>
        <source>Your presence could not be changed ({0}).</source>
        <translation>狀態未能更改（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="174"/>
        <source>The offer could not be accepted ({0}).</source>
        <translation>未能接受該分配（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="175"/>
        <source>The offer could not be declined ({0}).</source>
        <translation>未能拒絕該分配（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="176"/>
        <source>The conversation could not be transferred ({0}).</source>
        <translation>會話未能轉接（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="177"/>
        <source>The conversation could not be picked ({0}).</source>
        <translation>未能領取該會話（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="178"/>
        <source>A walk-in visit could not be recorded ({0}).</source>
        <translation>到店記錄未能儲存（{0}）。</translation>
    </message>
    <message>
        <source>Could not reach out to the customer ({0}).</source>
        <translation>未能主動聯絡客戶（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/shell/status_widgets.py" line="1"/>
        <source>A follow-up could not be saved ({0}).</source>
        <translation>工單未能儲存（{0}）。</translation>
    </message>
</context>
<context>
    <name>AudioSettingsDialog</name>
    <message>
        <location filename="../../ui/audio_settings.py" line="56"/>
        <source>Audio devices</source>
        <translation>音訊裝置</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="71"/>
        <source>Microphone level</source>
        <translation>麥克風音量</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="75"/>
        <source>Call volume</source>
        <translation>通話音量</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="76"/>
        <source>&amp;Test my audio</source>
        <translation>測試我的音訊(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="77"/>
        <source>Records 3 seconds from the microphone and plays them back on the speaker.</source>
        <translation>從麥克風錄製 3 秒，然後在揚聲器上回放。</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="84"/>
        <source>&amp;Microphone</source>
        <translation>麥克風(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="85"/>
        <source>Level</source>
        <translation>音量</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="86"/>
        <source>&amp;Speaker</source>
        <translation>揚聲器(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="87"/>
        <source>&amp;Volume</source>
        <translation>音量(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="88"/>
        <source>&amp;Ringer</source>
        <translation>鈴聲裝置(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="118"/>
        <source>No audio device found — calls will be silent. You can still answer calls; connect a headset to talk.</source>
        <translation>未找到音訊裝置 — 通話將沒有聲音。您仍可接聽來電；連線耳機即可通話。</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="121"/>
        <source>No microphone found — the customer will hear silence.</source>
        <translation>未找到麥克風 — 客戶將聽不到您的聲音。</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="124"/>
        <source>No speaker found — you will not hear the customer or the ringtone.</source>
        <translation>未找到揚聲器 — 您將聽不到客戶和鈴聲。</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="137"/>
        <source>Same as speaker</source>
        <translation>與揚聲器相同</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="139"/>
        <source>System default</source>
        <translation>跟隨系統</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="165"/>
        <location filename="../../ui/audio_settings.py" line="190"/>
        <source>The microphone could not be opened: {0}</source>
        <translation>無法開啟麥克風：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="194"/>
        <source>No microphone to test.</source>
        <translation>沒有可測試的麥克風。</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="197"/>
        <source>Recording 3 seconds… say something.</source>
        <translation>正在錄製 3 秒… 請說話。</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="208"/>
        <source>The speaker could not be opened: {0}</source>
        <translation>無法開啟揚聲器：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/audio_settings.py" line="211"/>
        <source>Playing back what you said. If you heard nothing, check the devices above.</source>
        <translation>正在回放您剛才說的話。如果什麼都沒聽到，請檢查上面的裝置。</translation>
    </message>
</context>
<context>
    <name>Banners</name>
    <message>
        <location filename="../../ui/banners.py" line="14"/>
        <source>You are offline — messages will be sent when the connection returns</source>
        <translation>您已離線 — 連線恢復後訊息將自動傳送</translation>
    </message>
</context>
<context>
    <name>CallDesk</name>
    <message>
        <location filename="../../ui/call/call_desk.py" line="1"/>
        <source>A call is ringing: answer or decline it before calling out.</source>
        <translation>有來電正在振鈴：請先接聽或拒接，再撥出電話。</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="1"/>
        <source>A call is being placed: wait until it is answered or hang it up before calling again.</source>
        <translation>正在撥出一個電話：請等待對方接聽或先結束通話，再撥打下一個。</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="1"/>
        <source>{0} · consulting you about {1}</source>
        <translation>{0} · 就 {1} 向您諮詢</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="299"/>
        <source>The customer is not online in the web widget; calling is possible while they have it open.</source>
        <translation>客戶當前不在網頁聊天視窗中；客戶開啟視窗時才能呼叫。</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="123"/>
        <location filename="../../ui/call_desk.py" line="132"/>
        <source>That is not possible now: {0}</source>
        <translation>現在無法執行：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="126"/>
        <source>The call action failed: {0}</source>
        <translation>通話操作失敗：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="140"/>
        <source>Customer</source>
        <translation>客戶</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="157"/>
        <source>Ringing</source>
        <translation>振鈴中</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="158"/>
        <source>Calling the customer…</source>
        <translation>正在呼叫客戶…</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="159"/>
        <source>Connecting audio…</source>
        <translation>正在連線音訊…</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="160"/>
        <source>In call</source>
        <translation>通話中</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="194"/>
        <source>Consulting — the customer is on hold</source>
        <translation>正在諮詢同事 — 客戶保持中</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="196"/>
        <source>Transferring the customer…</source>
        <translation>正在轉接客戶…</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="197"/>
        <source>Conference — all three of you talk</source>
        <translation>三方通話中</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="161"/>
        <source>On hold — the customer hears silence</source>
        <translation>保持中 — 客戶聽到的是靜音</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="162"/>
        <source>Call ended</source>
        <translation>通話已結束</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="163"/>
        <source>Call failed</source>
        <translation>通話失敗</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="167"/>
        <source>the customer muted their microphone</source>
        <translation>客戶已將麥克風靜音</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="171"/>
        <source>{0} call(s) on hold</source>
        <translation>{0} 個通話保持中</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="232"/>
        <source>Missed call from {0}.</source>
        <translation>{0} 的未接來電。</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="235"/>
        <source>The call with {0} could not be connected.</source>
        <translation>與 {0} 的通話未能接通。</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="270"/>
        <source>No audio device — this call will be silent. Connect a headset and choose it under File → Audio devices.</source>
        <translation>沒有音訊裝置 — 此通話將沒有聲音。請連線耳機，並在「檔案 → 音訊裝置」中選擇。</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="304"/>
        <source>No audio device — the call will be silent. Connect a headset to talk.</source>
        <translation>沒有音訊裝置 — 通話將沒有聲音。連線耳機即可通話。</translation>
    </message>
    <message>
        <location filename="../../ui/call_desk.py" line="335"/>
        <source>Transferring the call…</source>
        <translation>正在轉接通話…</translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) on hold</source>
        <translation>
            <numerusform>%n 个通话保持中</numerusform>
        </translation>
    </message>
    <message>
        <source>no audio device: silent</source>
        <translation>沒有音訊裝置：無聲</translation>
    </message>
    <message>
        <source>&amp;Answer</source>
        <translation>接聽(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Decline</source>
        <translation>拒接(&amp;D)</translation>
    </message>
    <message>
        <source>Hang &amp;up</source>
        <translation>結束通話(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Mute / unmute</source>
        <translation>靜音 / 取消靜音(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Hold / resume</source>
        <translation>保持 / 恢復(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keypad</source>
        <translation>撥號鍵盤(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Call this customer</source>
        <translation>呼叫此客戶(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="1"/>
        <source>{0} is listening</source>
        <translation>{0} 正在旁聽</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="1"/>
        <source>{0} is coaching you (the customer cannot hear)</source>
        <translation>{0} 正在指導您（客戶聽不到）</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_desk.py" line="1"/>
        <source>{0} has joined the call</source>
        <translation>{0} 已加入通話</translation>
    </message>
    <message>
        <source>recording</source>
        <translation>正在錄音</translation>
    </message>
    <message>
        <source>Start / stop &amp;recording</source>
        <translation>開始/停止錄音(&amp;R)</translation>
    </message>
    <message>
        <source>Withheld number</source>
        <translation>號碼未顯示</translation>
    </message>
    <message>
        <source>Transfer to a number</source>
        <translation>轉接到號碼</translation>
    </message>
    <message>
        <source>The caller is sent to this number or extension (blind transfer):</source>
        <translation>來電方將被轉到此號碼或分機（直接轉接）：</translation>
    </message>
    <message>
        <source>Transferring the call to {0}…</source>
        <translation>正在將通話轉接到 {0}…</translation>
    </message>
    <message>
        <source>No telephone account is registered: switch one on under Settings → Telephony to call numbers.</source>
        <translation>沒有已註冊的電話賬號：請在「設定 → 電話」中啟用一個賬號後再撥打號碼。</translation>
    </message>
    <message>
        <source>The telephone could not register at the PBX: check the account under Settings → Telephony.</source>
        <translation>電話無法在交換機上註冊：請在「設定 → 電話」中檢查賬號。</translation>
    </message>
    <message>
        <source>The telephone is not registered at the PBX yet; calling is possible once it is.</source>
        <translation>電話尚未在交換機上註冊；註冊完成後即可撥打。</translation>
    </message>
    <message>
        <source>Calling {0}…</source>
        <translation>正在呼叫 {0}…</translation>
    </message>
    <message>
        <source>Call a &amp;number…</source>
        <translation>撥打號碼(&amp;N)…</translation>
    </message>
</context>
<context>
    <name>CallListenControls</name>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>&amp;Listen to the call (nobody hears you)</source>
        <translation>旁聽通話（誰也聽不到您）(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>&amp;Coach on the call (only the agent hears you)</source>
        <translation>通話指導（只有坐席聽得到您）(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Barge &amp;into the call (three-way)</source>
        <translation>強插通話（三方通話）(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Stop listening to the &amp;call</source>
        <translation>停止旁聽通話(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Monitor a conversation with a call first.</source>
        <translation>請先監控一個有通話的會話。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: not listening (Listen, Coach or Barge in the Supervise menu)</source>
        <translation>通話：未旁聽（在「督導」選單中選擇旁聽、指導或強插）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: connecting to the agent&apos;s call…</source>
        <translation>通話：正在連線坐席的通話…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: listening — nobody hears you</source>
        <translation>通話：旁聽中 — 誰也聽不到您</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: coaching — only the agent hears you, never the customer</source>
        <translation>通話：指導中 — 只有坐席聽得到您，客戶永遠聽不到</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: three-way — the customer and the agent hear you</source>
        <translation>通話：三方通話 — 客戶和坐席都聽得到您</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: this conversation has no connected call</source>
        <translation>通話：此會話沒有已接通的通話</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: only supervisors may listen to calls</source>
        <translation>通話：只有主管可以旁聽通話</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: the call ended</source>
        <translation>通話：通話已結束</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: the agent&apos;s desktop went away</source>
        <translation>通話：坐席的桌面已斷開</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: could not connect to the agent&apos;s call</source>
        <translation>通話：無法連線到坐席的通話</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Call: stopped listening</source>
        <translation>通話：已停止旁聽</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Listen</source>
        <translation>旁聽</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Coach</source>
        <translation>指導</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Join the call</source>
        <translation>加入通話</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/call_listen_controls.py" line="1"/>
        <source>Stop listening</source>
        <translation>停止旁聽</translation>
    </message>
</context>
<context>
    <name>CallPanel</name>
    <message>
        <location filename="../../ui/call/call_panel.py" line="1"/>
        <source>Consult a colleague</source>
        <translation>諮詢同事</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="1"/>
        <source>No colleague to consult</source>
        <translation>沒有可諮詢的同事</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="55"/>
        <source>Round-trip time, jitter, packet loss and the estimated MOS (1–4.5) of this call</source>
        <translation>此通話的往返時延、抖動、丟包率和估算的 MOS 分（1–4.5）</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="57"/>
        <source>&amp;Mute</source>
        <translation>靜音(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="57"/>
        <source>Mute (Ctrl+Shift+M)</source>
        <translation>靜音（Ctrl+Shift+M）</translation>
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
        <translation>撥號鍵盤(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="62"/>
        <source>Keypad (Ctrl+Shift+K)</source>
        <translation>撥號鍵盤（Ctrl+Shift+K）</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="64"/>
        <source>&amp;Transfer</source>
        <translation>轉接(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="65"/>
        <source>Blind transfer to another agent or queue</source>
        <translation>直接轉接給其他坐席或佇列</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="69"/>
        <source>Hang &amp;up</source>
        <translation>結束通話(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="70"/>
        <source>Hang up (Ctrl+Shift+E)</source>
        <translation>結束通話（Ctrl+Shift+E）</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="146"/>
        <location filename="../../ui/call_panel.py" line="224"/>
        <source>Resume</source>
        <translation>恢復</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="162"/>
        <source>RTT {0} ms · jitter {1} ms · loss {2} % · MOS {3}</source>
        <translation>時延 {0} 毫秒 · 抖動 {1} 毫秒 · 丟包 {2}% · MOS {3}</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="167"/>
        <source>⚠ Poor call quality — the customer may hear you badly. </source>
        <translation>⚠ 通話品質差 — 客戶可能聽不清您的聲音。</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="184"/>
        <source>Agents</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="188"/>
        <source>Queues</source>
        <translation>佇列</translation>
    </message>
    <message>
        <location filename="../../ui/call_panel.py" line="192"/>
        <source>Nobody to transfer to</source>
        <translation>沒有可轉接的物件</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="145"/>
        <source>Co&amp;nsult…</source>
        <translation>諮詢(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="146"/>
        <source>Put the customer on hold and call a colleague or a number ({0})</source>
        <translation>保持客戶並呼叫同事或號碼（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="150"/>
        <source>Colleague&apos;s extension or a number</source>
        <translation>同事的分機或電話號碼</translation>
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
        <translation>完成轉接(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="169"/>
        <source>Hand the customer to the colleague and leave the call ({0})</source>
        <translation>把客戶交給同事，自己退出通話（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="173"/>
        <source>Con&amp;ference</source>
        <translation>三方通話(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="174"/>
        <source>Bring the customer and the colleague together ({0})</source>
        <translation>讓客戶和同事一起通話（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="178"/>
        <source>&amp;Back to customer</source>
        <translation>返回客戶(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="179"/>
        <source>End the consultation and take the customer off hold ({0})</source>
        <translation>結束諮詢，恢復與客戶通話（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="241"/>
        <source>Customer · on hold</source>
        <translation>客戶 · 保持中</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="242"/>
        <source>Customer · connected</source>
        <translation>客戶 · 已接通</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="243"/>
        <source>Customer · left the call</source>
        <translation>客戶 · 已結束通話</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="244"/>
        <source>Customer</source>
        <translation>客戶</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="247"/>
        <source>{0} · calling…</source>
        <translation>{0} · 呼叫中…</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="248"/>
        <source>{0} · ringing</source>
        <translation>{0} · 振鈴中</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="249"/>
        <source>{0} · connected</source>
        <translation>{0} · 已接通</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="250"/>
        <source>{0} · call ended</source>
        <translation>{0} · 通話已結束</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="253"/>
        <source>Conference · {0}</source>
        <translation>三方通話 · {0}</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="255"/>
        <source>Transferring to {0}…</source>
        <translation>正在轉接給 {0}…</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="257"/>
        <source>{0} · the transfer failed ({1})</source>
        <translation>{0} · 轉接失敗（{1}）</translation>
    </message>
    <message>
        <location filename="../../ui/call/call_panel.py" line="264"/>
        <source>Cancel consult</source>
        <translation>取消諮詢</translation>
    </message>
    <message>
        <source>&amp;Record</source>
        <translation>錄音(&amp;R)</translation>
    </message>
    <message>
        <source>Start or stop recording this call (Ctrl+Shift+S)</source>
        <translation>開始或停止錄製此通話 (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <source>Stop &amp;recording</source>
        <translation>停止錄音(&amp;R)</translation>
    </message>
    <message>
        <source>To a &amp;number…</source>
        <translation>轉到號碼(&amp;N)…</translation>
    </message>
</context>
<context>
    <name>CallToast</name>
    <message>
        <location filename="../../ui/call_toast.py" line="30"/>
        <source>&amp;Answer</source>
        <translation>接聽(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/call_toast.py" line="31"/>
        <source>Answer (Ctrl+Shift+A)</source>
        <translation>接聽（Ctrl+Shift+A）</translation>
    </message>
    <message>
        <location filename="../../ui/call_toast.py" line="33"/>
        <source>&amp;Decline</source>
        <translation>拒接(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/call_toast.py" line="34"/>
        <source>Decline: the call goes to another agent (Ctrl+Shift+D)</source>
        <translation>拒接：來電將轉給其他坐席（Ctrl+Shift+D）</translation>
    </message>
    <message>
        <location filename="../../ui/call_toast.py" line="60"/>
        <source>Call waiting — answering puts the current call on hold</source>
        <translation>呼叫等待 — 接聽將使當前通話進入保持</translation>
    </message>
    <message>
        <location filename="../../ui/call_toast.py" line="62"/>
        <source>Transferred call from {0}</source>
        <translation>{0} 轉來的通話</translation>
    </message>
    <message>
        <location filename="../../ui/call_toast.py" line="64"/>
        <source>Incoming call</source>
        <translation>來電</translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <location filename="../../ui/chat_panel.py" line="39"/>
        <source>Web chat</source>
        <translation>網頁聊天</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="40"/>
        <source>Voice</source>
        <translation>語音</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="41"/>
        <source>Email</source>
        <translation>郵件</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="42"/>
        <source>Store visit</source>
        <translation>門店到訪</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="108"/>
        <source>Close conversation</source>
        <translation>結束會話</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="109"/>
        <source>Close this conversation (Ctrl+Shift+W)</source>
        <translation>結束此會話（Ctrl+Shift+W）</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="111"/>
        <source>Transfer…</source>
        <translation>轉接…</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="112"/>
        <source>Hand this conversation to a colleague or a queue (Ctrl+Shift+T)</source>
        <translation>將此會話轉給同事或佇列（Ctrl+Shift+T）</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="140"/>
        <source>Send</source>
        <translation>傳送</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="175"/>
        <source>Unknown conversation</source>
        <translation>未知會話</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="194"/>
        <source>You closed this conversation.</source>
        <translation>您已結束此會話。</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="195"/>
        <source>The customer closed this conversation.</source>
        <translation>客戶已結束此會話。</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="196"/>
        <source>This conversation was closed.</source>
        <translation>此會話已結束。</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="202"/>
        <source>a colleague</source>
        <translation>一位同事</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="203"/>
        <source>Transferred to you by {0} — note: {1}</source>
        <translation>由 {0} 轉接給您 — 備註：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="232"/>
        <source>The customer is typing…</source>
        <translation>客戶正在輸入…</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="244"/>
        <source>This message is too long (at most {0} characters).</source>
        <translation>訊息過長（最多 {0} 個字元）。</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../ui/chat_view.py" line="275"/>
        <source>Copy text</source>
        <translation>複製文字</translation>
    </message>
    <message>
        <location filename="../../ui/chat_view.py" line="279"/>
        <source>Send again</source>
        <translation>重新發送</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../ui/chat_panel.py" line="66"/>
        <source>Type a reply — Enter to send, Shift+Enter for a new line</source>
        <translation>輸入回覆 — Enter 傳送，Shift+Enter 換行</translation>
    </message>
    <message>
        <location filename="../../ui/chat_panel.py" line="69"/>
        <source>Type a reply — Ctrl+Enter to send</source>
        <translation>輸入回覆 — Ctrl+Enter 傳送</translation>
    </message>
</context>
<context>
    <name>ConnectionIndicator</name>
    <message>
        <location filename="../../ui/status_widgets.py" line="46"/>
        <source>Try to reach the hub now instead of waiting</source>
        <translation>立即嘗試連線伺服器，不再等待</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="86"/>
        <source>Starting the local hub…</source>
        <translation>正在啟動本地服務…</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="88"/>
        <source>Online</source>
        <translation>線上</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="90"/>
        <source>Connecting…</source>
        <translation>正在連線…</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="94"/>
        <source>Reconnecting — next try in {0} s</source>
        <translation>正在重連 — {0} 秒後重試</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="96"/>
        <source>Reconnecting…</source>
        <translation>正在重連…</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="99"/>
        <source>Signed out — please sign in again</source>
        <translation>已退出登入 — 請重新登入</translation>
    </message>
    <message>
        <location filename="../../ui/status_widgets.py" line="101"/>
        <source>Offline</source>
        <translation>離線</translation>
    </message>
</context>
<context>
    <name>ConsistencyDialog</name>
    <message>
        <location filename="../../ui/consistency_dialog.py" line="17"/>
        <source>Cache consistency</source>
        <translation>快取一致性</translation>
    </message>
    <message>
        <location filename="../../ui/consistency_dialog.py" line="19"/>
        <source>Comparing the local cache with the hub…</source>
        <translation>正在將本地快取與伺服器比對…</translation>
    </message>
    <message>
        <location filename="../../ui/consistency_dialog.py" line="33"/>
        <source>Last event {0}; {1} open conversations; {2} messages.</source>
        <translation>最新事件 {0}；{1} 個進行中的會話；{2} 條訊息。</translation>
    </message>
    <message>
        <location filename="../../ui/consistency_dialog.py" line="37"/>
        <source>The cache matches the hub.</source>
        <translation>本地快取與伺服器一致。</translation>
    </message>
    <message>
        <location filename="../../ui/consistency_dialog.py" line="40"/>
        <source>The cache differs from the hub.</source>
        <translation>本地快取與伺服器不一致。</translation>
    </message>
    <message>
        <location filename="../../ui/consistency_dialog.py" line="45"/>
        <source>The check could not be completed.</source>
        <translation>檢查未能完成。</translation>
    </message>
</context>
<context>
    <name>ConversationTabs</name>
    <message>
        <location filename="../../ui/conversation_tabs.py" line="109"/>
        <source>Close tab (the conversation stays open)</source>
        <translation>關閉標籤頁（會話保持進行中）</translation>
    </message>
</context>
<context>
    <name>CopyLabel</name>
    <message>
        <location filename="../../ui/profile_details.py" line="48"/>
        <source>Click to copy</source>
        <translation>點選複製</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="52"/>
        <source>Copied</source>
        <translation>已複製</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="54"/>
        <source>Copied ✓</source>
        <translation>已複製 ✓</translation>
    </message>
</context>
<context>
    <name>CustomerActions</name>
    <message>
        <location filename="../../ui/customer_actions.py" line="130"/>
        <source>Contact point not valid</source>
        <translation>聯絡方式無效</translation>
    </message>
    <message>
        <location filename="../../ui/customer_actions.py" line="131"/>
        <source>“{0}” is not a valid phone number or email address.</source>
        <translation>「{0}」不是有效的電話號碼或信箱地址。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_actions.py" line="134"/>
        <source>Hub: {0}</source>
        <translation>伺服器：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/customer_actions.py" line="135"/>
        <source>Keep it anyway, marked as unverified? It will not be used to recognise the customer.</source>
        <translation>仍然保留並標記為「未驗證」嗎？它不會用於識別客戶。</translation>
    </message>
    <message>
        <source>Open a customer first, then reach out to them.</source>
        <translation>請先開啟一位客戶，再主動聯絡。</translation>
    </message>
    <message>
        <source>Write a message first.</source>
        <translation>請先填寫訊息。</translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation>訊息太長。</translation>
    </message>
    <message>
        <source>The subject is too long.</source>
        <translation>主題太長。</translation>
    </message>
    <message>
        <source>You cannot reach out to this customer: they are outside your queues.</source>
        <translation>您無法聯絡該客戶：該客戶不在您負責的佇列中。</translation>
    </message>
    <message>
        <source>Someone reached out to this customer a short while ago. Try again later.</source>
        <translation>不久前已有人聯絡過該客戶，請稍後再試。</translation>
    </message>
    <message>
        <source>The customer is not online in the web chat and cannot be emailed, or is already chatting with a colleague.</source>
        <translation>該客戶不在網頁聊天中線上，也無法透過郵件聯絡；或正在與其他同事對話。</translation>
    </message>
    <message>
        <source>Could not reach out to the customer ({0}).</source>
        <translation>未能主動聯絡客戶（{0}）。</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <location filename="../../ui/customer_panel.py" line="164"/>
        <source>The customer is not online in the web widget; calling is possible while they have it open</source>
        <translation>客戶當前不在網頁聊天視窗中；客戶開啟視窗時才能呼叫</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="55"/>
        <source>The customer of the selected conversation appears here.</source>
        <translation>所選會話的客戶資料顯示在這裡。</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="77"/>
        <source>Timeline</source>
        <translation>時間線</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="78"/>
        <source>Profile</source>
        <translation>資料</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="79"/>
        <location filename="../../ui/customer_panel.py" line="214"/>
        <source>Notes</source>
        <translation>備註</translation>
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
        <translation>呼叫正在聊天頁面中的客戶（Ctrl+Shift+C）</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="213"/>
        <source>Notes ({0})</source>
        <translation>備註 ({0})</translation>
    </message>
    <message>
        <location filename="../../ui/customer_panel.py" line="253"/>
        <source>The hub could not be asked ({0}).</source>
        <translation>無法查詢伺服器（{0}）。</translation>
    </message>
</context>
<context>
    <name>DesktopApp</name>
    <message>
        <source>This computer has no system keyring: the local cache is not encrypted.</source>
        <translation>此電腦沒有系統金鑰環：本地快取未加密。</translation>
    </message>
    <message>
        <source>The local cache could not be unlocked: it has been set aside and is being rebuilt from the hub. Replies that were not sent yet are in the old file and need its key.</source>
        <translation>本地快取無法解鎖：已將其移到一旁，正在從伺服器重建。尚未傳送的回覆在舊檔案中，需要它的金鑰才能讀取。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="132"/>
        <source>The local hub did not start: {0}</source>
        <translation>本地服務未能啟動：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="226"/>
        <source>No system keyring: you will need to sign in again next time.</source>
        <translation>系統沒有可用的金鑰環：下次啟動時需要重新登入。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="315"/>
        <source>You signed in on another computer, so you were signed out here. Sign in again to work here.</source>
        <translation>您已在另一臺電腦上登入，因此此處已退出登入。如需在此處工作，請重新登入。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="258"/>
        <source>Your session has expired. Please sign in again.</source>
        <translation>登入已過期，請重新登入。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="276"/>
        <source>The local cache was written by a newer version of Zuoxi. It has been set aside and is being rebuilt from the hub.</source>
        <translation>本地快取由更新版本的坐席寫入，已另行儲存，正在從伺服器重建。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="279"/>
        <source>The local cache could not be read (the file is damaged). It has been set aside and is being rebuilt from the hub; replies that were not sent yet may need to be written again.</source>
        <translation>無法讀取本地快取（檔案已損壞），已另行儲存，正在從伺服器重建；尚未發出的回覆可能需要重新輸入。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="283"/>
        <source>Old file: {0}</source>
        <translation>舊檔案：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="405"/>
        <source>Not signed in to a hub yet.</source>
        <translation>尚未登入伺服器。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="410"/>
        <source>The hub could not be asked: {0}</source>
        <translation>無法向伺服器查詢：{0}</translation>
    </message>
    <message>
        <source>This server is remembered from an earlier start. To try Zuoxi on this computer instead, use the local demo hub.</source>
        <translation>此伺服器地址是之前啟動時記住的。若想在本機試用坐席，請使用本地演示伺服器。</translation>
    </message>
    <message>
        <source>Zuoxi stopped unexpectedly last time. A report (what Python and Qt said, and the last log lines) was saved for support: {0}</source>
        <translation>坐席上次意外退出。已儲存一份報告（Python 和 Qt 的輸出以及最後的日誌），可提供給技術支援：{0}</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>來電</translation>
    </message>
    <message>
        <source>New email from {0}</source>
        <translation>來自 {0} 的新郵件</translation>
    </message>
    <message>
        <source>New message from {0}</source>
        <translation>來自 {0} 的新訊息</translation>
    </message>
    <message>
        <source>This computer has no system keyring: the telephone&apos;s password is kept only until Zuoxi closes.</source>
        <translation>此電腦沒有系統金鑰環：電話密碼只保留到坐席關閉為止。</translation>
    </message>
</context>
<context>
    <name>DesktopCalls</name>
    <message>
        <location filename="../../desktop/call_setup.py" line="52"/>
        <source>No audio device — calls will be silent. You can still answer them; connect a headset and choose it under File → Audio devices.</source>
        <translation>沒有音訊裝置 — 通話將沒有聲音。您仍可接聽來電；請連線耳機，並在「檔案 → 音訊裝置」中選擇。</translation>
    </message>
    <message>
        <location filename="../../desktop/call_setup.py" line="105"/>
        <source>The audio device “{0}” was disconnected; the call goes on with the default device (or silence if there is none).</source>
        <translation>音訊裝置「{0}」已斷開；通話將改用預設裝置繼續（若沒有裝置則為靜音）。</translation>
    </message>
    <message>
        <location filename="../../desktop/call_setup.py" line="111"/>
        <source>The audio device “{0}” could not be opened (in use by another program?). The call goes on without it.</source>
        <translation>無法開啟音訊裝置「{0}」（是否被其他程式佔用？）。通話將在沒有該裝置的情況下繼續。</translation>
    </message>
</context>
<context>
    <name>DispositionDialog</name>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="153"/>
        <source>Close {0}</source>
        <translation>結束與 {0} 的會話</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="156"/>
        <source>How did it end? Pick an &amp;outcome:</source>
        <translation>處理結果如何？請選擇結果(&amp;O)：</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="167"/>
        <source>Optional wrap-up note</source>
        <translation>小結備註（可選）</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="169"/>
        <source>Close conversation</source>
        <translation>結束會話</translation>
    </message>
</context>
<context>
    <name>EmailCard</name>
    <message>
        <location filename="../../ui/email_card.py" line="78"/>
        <source>Show or hide this mail (Space)</source>
        <translation>展開或收起這封郵件（空格鍵）</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="104"/>
        <source>You</source>
        <translation>您</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="119"/>
        <source>Failed: bounced</source>
        <translation>失敗：被退回</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="120"/>
        <source>Failed: refused by the mail server</source>
        <translation>失敗：被郵件伺服器拒絕</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="121"/>
        <source>Failed: could not be delivered</source>
        <translation>失敗：無法投遞</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="124"/>
        <source>Failed: not sent, its {0} header did not pass the safety check</source>
        <translation>失敗：未傳送，{0} 郵件頭未透過安全檢查</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="127"/>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="128"/>
        <source>Sending…</source>
        <translation>傳送中…</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="128"/>
        <source>Sent</source>
        <translation>已傳送</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="134"/>
        <source>This mail would not have gone out as it was written (for instance, a line break was hidden in text taken from a customer&apos;s mail). Check the subject and the recipients, then send it again.</source>
        <translation>這封郵件無法按所寫的樣子發出（例如，從客戶郵件中取來的文字裡藏有換行）。請檢查主題和收件人，然後重新發送。</translation>
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
        <translation>⚠ 這封郵件的部分字元無法按宣告的編碼解碼，部分內容可能顯示不正確。原始郵件已保留。</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="199"/>
        <source>⚠ This mail is malformed; what could be read is shown. The original is kept.</source>
        <translation>⚠ 這封郵件格式有誤，僅顯示可讀取的部分。原始郵件已保留。</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="202"/>
        <source>📅 Invitation: {0}</source>
        <translation>📅 會議邀請：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="205"/>
        <source>Text the sender had hidden is shown.</source>
        <translation>已顯示發件人隱藏的文字。</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="213"/>
        <source>{0} remote image(s) blocked to protect your privacy.</source>
        <translation>為保護您的隱私，已阻止 {0} 張遠端圖片。</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="216"/>
        <source>Load images</source>
        <translation>載入圖片</translation>
    </message>
    <message>
        <location filename="../../ui/email_card.py" line="247"/>
        <source>Program file: it could harm this computer</source>
        <translation>程式檔案：可能危害這臺電腦</translation>
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
        <translation>問候</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="60"/>
        <source>Dear {customer_name},</source>
        <translation>尊敬的{customer_name}，</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="62"/>
        <source>Order shipped</source>
        <translation>訂單已發貨</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="63"/>
        <source>Dear {customer_name},

your order has been shipped and should arrive within three days.</source>
        <translation>尊敬的{customer_name}，

您的訂單已發貨，預計三天內送達。</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="67"/>
        <source>Need more details</source>
        <translation>需要更多資訊</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="68"/>
        <source>Dear {customer_name},

to help you further, could you send us your order number?</source>
        <translation>尊敬的{customer_name}，

為了進一步幫助您，能否告訴我們您的訂單號？</translation>
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
        <translation>主題(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="168"/>
        <source>Insert a reply template…</source>
        <translation>插入回覆模板…</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="127"/>
        <source>Delete removes the selected attachment</source>
        <translation>按 Delete 移除選中的附件</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="128"/>
        <source>&amp;Attach…</source>
        <translation>新增附件(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="131"/>
        <source>Send</source>
        <translation>傳送</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="133"/>
        <source>Send (Ctrl+Enter)</source>
        <translation>傳送（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="135"/>
        <source>Discard</source>
        <translation>丟棄</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="230"/>
        <source>Attach files</source>
        <translation>新增附件</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="240"/>
        <source>Cannot read {0}</source>
        <translation>無法讀取 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="263"/>
        <source>{0} of {1}</source>
        <translation>{0} / {1}</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="300"/>
        <source>Add at least one recipient.</source>
        <translation>請至少新增一個收件人。</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="301"/>
        <source>Not an email address: {0}</source>
        <translation>不是有效的信箱地址：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="302"/>
        <source>Line breaks are not allowed here.</source>
        <translation>此處不允許換行。</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="303"/>
        <source>Too many recipients.</source>
        <translation>收件人過多。</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="304"/>
        <source>Too long.</source>
        <translation>內容過長。</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="305"/>
        <source>{0} is larger than the limit.</source>
        <translation>{0} 超過大小限制。</translation>
    </message>
    <message>
        <location filename="../../ui/email_composer.py" line="306"/>
        <source>The attachments together exceed {0}.</source>
        <translation>附件總大小超過 {0}。</translation>
    </message>
</context>
<context>
    <name>EmailSettingsPage</name>
    <message>
        <location filename="../../ui/email_settings_page.py" line="43"/>
        <source>e.g. Lina Li · Customer care · 400-820-1234</source>
        <translation>例如 李娜 · 客戶服務 · 400-820-1234</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="48"/>
        <source>Reply templates</source>
        <translation>回覆模板</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="55"/>
        <source>Template name</source>
        <translation>模板名稱</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="60"/>
        <source>Dear {customer_name}, …</source>
        <translation>{customer_name}您好，…</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="63"/>
        <source>&amp;Add</source>
        <translation>新增(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="65"/>
        <source>Add a template (Insert)</source>
        <translation>新增模板（Insert）</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="67"/>
        <source>&amp;Remove</source>
        <translation>刪除(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="69"/>
        <source>Remove the template (Delete)</source>
        <translation>刪除模板（Delete）</translation>
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
        <translation>客服信箱自己的地址：「全部回覆」不會發送給它們。</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="95"/>
        <source>{customer_name} and {agent_name} are filled in when the template is used. The first template greets every new reply.</source>
        <translation>使用模板時會填入 {customer_name} 和 {agent_name}。第一個模板用作每封新回覆的問候語。</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="109"/>
        <source>&amp;Signature</source>
        <translation>簽名(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="110"/>
        <source>Reply &amp;templates</source>
        <translation>回覆模板(&amp;T)</translation>
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
        <translation>不是有效的郵件地址：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/email_settings_page.py" line="191"/>
        <source>One address per entry, no line breaks.</source>
        <translation>每項一個地址，不能換行。</translation>
    </message>
</context>
<context>
    <name>EmailView</name>
    <message>
        <location filename="../../ui/email_view.py" line="85"/>
        <source>&amp;Reply</source>
        <translation>回覆(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="86"/>
        <source>Reply &amp;all</source>
        <translation>全部回覆(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="87"/>
        <source>&amp;Forward</source>
        <translation>轉發(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="88"/>
        <source>Close conversation</source>
        <translation>結束會話</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="89"/>
        <source>Reply to the sender (Ctrl+R)</source>
        <translation>回覆發件人（Ctrl+R）</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="90"/>
        <source>Reply to everyone (Ctrl+Shift+R)</source>
        <translation>回覆所有人（Ctrl+Shift+R）</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="91"/>
        <source>Forward (Ctrl+Shift+F)</source>
        <translation>轉發（Ctrl+Shift+F）</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="173"/>
        <source>Email</source>
        <translation>郵件</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="218"/>
        <source>Link goes to: {0}</source>
        <translation>連結指向：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="261"/>
        <source>On {date}, {name} wrote:</source>
        <translation>{name} 於 {date} 寫道：</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="262"/>
        <source>---------- Forwarded message ----------</source>
        <translation>---------- 轉發的郵件 ----------</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="263"/>
        <source>From</source>
        <translation>發件人</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="263"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="264"/>
        <source>Subject</source>
        <translation>主題</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="264"/>
        <source>To</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="265"/>
        <source>Re: </source>
        <translation>回覆：</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="265"/>
        <source>Fwd: </source>
        <translation>轉發：</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="301"/>
        <source>“{0}” is a program file. Opening it could harm this computer. Only continue if you trust the sender.</source>
        <translation>「{0}」是程式檔案，開啟它可能危害這臺電腦。只有在您信任發件人時才繼續。</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="305"/>
        <source>Open or save “{0}”?</source>
        <translation>開啟還是儲存「{0}」？</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="306"/>
        <source>Open</source>
        <translation>開啟</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="307"/>
        <source>Save…</source>
        <translation>儲存…</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="322"/>
        <source>Save attachment</source>
        <translation>儲存附件</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="332"/>
        <source>Attachments can be downloaded when connected.</source>
        <translation>連線到伺服器後才能下載附件。</translation>
    </message>
    <message>
        <location filename="../../ui/email_view.py" line="337"/>
        <source>Could not download {0} ({1}).</source>
        <translation>無法下載 {0}（{1}）。</translation>
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
        <translation>登入 — 坐席</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="43"/>
        <source>Sign in to your contact center</source>
        <translation>登入您的客服中心</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="51"/>
        <source>e.g. lina</source>
        <translation>例如 lina</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="56"/>
        <source>Server</source>
        <translation>伺服器</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="57"/>
        <source>User name</source>
        <translation>使用者名稱</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="58"/>
        <source>Password</source>
        <translation>密碼</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="63"/>
        <location filename="../../ui/login_dialog.py" line="92"/>
        <source>Sign in</source>
        <translation>登入</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="92"/>
        <source>Signing in…</source>
        <translation>正在登入…</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="111"/>
        <source>Wrong user name or password.</source>
        <translation>使用者名稱或密碼錯誤。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="113"/>
        <source>Your session has expired. Please sign in again.</source>
        <translation>登入已過期，請重新登入。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="115"/>
        <source>Too many attempts. Please wait a minute and try again.</source>
        <translation>嘗試次數過多，請稍等一分鐘再試。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="117"/>
        <source>The server address is not valid (example: https://hub.example.com).</source>
        <translation>伺服器地址無效（例如：https://hub.example.com）。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="119"/>
        <source>Cannot reach the server. Check the address and your network.</source>
        <translation>無法連線伺服器，請檢查地址和網路。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="121"/>
        <source>The server answered unexpectedly. Please try again later.</source>
        <translation>伺服器返回了意外的響應，請稍後再試。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="123"/>
        <source>Sign-in failed.</source>
        <translation>登入失敗。</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="124"/>
        <source>Something went wrong: {0}</source>
        <translation>出現錯誤：{0}</translation>
    </message>
    <message>
        <source>Use the local demo hub</source>
        <translation>使用本地演示伺服器</translation>
    </message>
    <message>
        <source>Forget this server and run the demo hub on this computer</source>
        <translation>忘記此伺服器，在本機執行演示伺服器</translation>
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
        <translation>到店客戶：查詢客戶並登記到訪（Ctrl+Shift+N）</translation>
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
        <translation>請在收件箱中選擇一個會話。
新的對話到達時會出現在那裡。</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="30"/>
        <source>&amp;File</source>
        <translation>檔案(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="31"/>
        <source>&amp;Settings…</source>
        <translation>設定(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="33"/>
        <source>&amp;Audio devices…</source>
        <translation>音訊裝置(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="36"/>
        <source>Sign &amp;out</source>
        <translation>退出登入(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="38"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="41"/>
        <source>&amp;Conversation</source>
        <translation>會話(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="42"/>
        <source>&amp;Next conversation</source>
        <translation>下一個會話(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="44"/>
        <source>&amp;Previous conversation</source>
        <translation>上一個會話(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="46"/>
        <source>Focus the &amp;reply box</source>
        <translation>轉到回覆框(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="51"/>
        <source>&amp;Accept the offer</source>
        <translation>接受分配(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="53"/>
        <source>&amp;Decline the offer…</source>
        <translation>拒絕分配(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="55"/>
        <source>T&amp;ransfer…</source>
        <translation>轉接(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="57"/>
        <source>&amp;Pick from the queue</source>
        <translation>從佇列領取(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="60"/>
        <source>&amp;Close conversation</source>
        <translation>結束會話(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="62"/>
        <source>Close &amp;tab</source>
        <translation>關閉標籤頁(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="65"/>
        <source>&amp;Walk-in customer…</source>
        <translation>到店客戶(&amp;W)…</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="67"/>
        <source>&amp;Search customers and messages…</source>
        <translation>搜尋客戶和訊息(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="70"/>
        <source>Ca&amp;ll</source>
        <translation>通話(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="74"/>
        <source>&amp;Presence</source>
        <translation>狀態(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="75"/>
        <source>&amp;Available</source>
        <translation>空閒(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="77"/>
        <source>A&amp;way</source>
        <translation>離開(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="79"/>
        <source>Away &amp;because</source>
        <translation>離開原因(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="83"/>
        <source>&amp;Offline</source>
        <translation>離線(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="86"/>
        <source>&amp;View</source>
        <translation>檢視(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="88"/>
        <source>&amp;Queues</source>
        <translation>佇列(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="92"/>
        <source>&amp;Help</source>
        <translation>幫助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="93"/>
        <source>Open the customer chat page</source>
        <translation>開啟客戶聊天頁面</translation>
    </message>
    <message>
        <location filename="../../ui/window_menus.py" line="98"/>
        <source>Check cache &amp;consistency</source>
        <translation>檢查快取一致性(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="227"/>
        <source>a customer</source>
        <translation>一位客戶</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="230"/>
        <source>The conversation with {0} went to another agent while you were disconnected.</source>
        <translation>您斷線期間，與 {0} 的會話已轉給其他坐席。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="233"/>
        <source>The conversation with {0} was transferred to another agent.</source>
        <translation>與 {0} 的會話已轉給其他坐席。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="235"/>
        <source>The conversation with {0} is no longer assigned to you.</source>
        <translation>與 {0} 的會話已不再分配給您。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="290"/>
        <source>Zuoxi</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>鍵盤快捷鍵(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Knowledge base…</source>
        <translation>知識庫(&amp;K)…</translation>
    </message>
    <message>
        <source>Reach &amp;out to the customer…</source>
        <translation>主動聯絡客戶(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/main_window.py" line="1"/>
        <source>Conversations</source>
        <translation>會話</translation>
    </message>
    <message>
        <location filename="../../ui/shell/main_window.py" line="1"/>
        <source>Follow-ups</source>
        <translation>工單</translation>
    </message>
    <message>
        <location filename="../../ui/shell/main_window.py" line="1"/>
        <source>Follow-ups ({0})</source>
        <translation>工單（{0}）</translation>
    </message>
    <message>
        <location filename="../../ui/shell/window_menus.py" line="1"/>
        <source>New &amp;follow-up…</source>
        <translation>新建工單(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../ui/shell/window_menus.py" line="1"/>
        <source>Follow-up &amp;list</source>
        <translation>工單列表(&amp;L)</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../ui/merge_dialog.py" line="38"/>
        <source>Merge into {0}</source>
        <translation>合併到 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/merge_dialog.py" line="41"/>
        <source>Find the duplicate: name, phone, email…</source>
        <translation>查詢重複客戶：姓名、電話、信箱…</translation>
    </message>
    <message>
        <location filename="../../ui/merge_dialog.py" line="45"/>
        <source>Pick the customer whose history should move here.</source>
        <translation>選擇要將其歷史記錄移到此處的客戶。</translation>
    </message>
    <message>
        <location filename="../../ui/merge_dialog.py" line="49"/>
        <source>Merge</source>
        <translation>合併</translation>
    </message>
    <message>
        <location filename="../../ui/merge_dialog.py" line="85"/>
        <source>{0} will be merged into {1} and disappear. Moving: {2} conversation(s), {3} message(s) and {4} note(s) held here, and everything the hub holds.</source>
        <translation>{0} 將合併到 {1} 並被移除。將移動：本地的 {2} 個會話、{3} 條訊息和 {4} 條備註，以及伺服器上的全部記錄。</translation>
    </message>
    <message>
        <location filename="../../ui/merge_dialog.py" line="90"/>
        <source>Contact points: {0}.</source>
        <translation>聯絡方式：{0}。</translation>
    </message>
    <message>
        <location filename="../../ui/merge_dialog.py" line="91"/>
        <source>You can undo it later from the customer&apos;s actions menu.</source>
        <translation>之後可以在客戶操作選單中撤銷。</translation>
    </message>
    <message>
        <location filename="../../ui/merge_dialog.py" line="94"/>
        <source>A call with one of these customers is open: merge after it ends.</source>
        <translation>其中一位客戶有進行中的通話：請在通話結束後再合併。</translation>
    </message>
</context>
<context>
    <name>NotesView</name>
    <message>
        <location filename="../../ui/notes_view.py" line="34"/>
        <source>Write a note about this customer…</source>
        <translation>為該客戶寫一條備註…</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="36"/>
        <location filename="../../ui/notes_view.py" line="120"/>
        <source>Add note</source>
        <translation>新增備註</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="38"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="72"/>
        <source>No notes yet.</source>
        <translation>暫無備註。</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="79"/>
        <source>Unknown author</source>
        <translation>未知作者</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="82"/>
        <source>edited</source>
        <translation>已編輯</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="84"/>
        <source>not yet synced</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="88"/>
        <source>Edit</source>
        <translation>編輯</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="103"/>
        <source>Not saved ({0}). Edit it to send it again.</source>
        <translation>未儲存（{0}）。編輯後將重新發送。</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="112"/>
        <source>Save note</source>
        <translation>儲存備註</translation>
    </message>
    <message>
        <location filename="../../ui/notes_view.py" line="135"/>
        <source>The note is too long.</source>
        <translation>備註過長。</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <location filename="../../ui/banners.py" line="33"/>
        <source>Dismiss</source>
        <translation>關閉提示</translation>
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
        <translation>接手此會話（Enter、Ctrl+Shift+A）</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="80"/>
        <source>Decline</source>
        <translation>拒絕</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="81"/>
        <source>Pass it to another agent (Ctrl+Shift+D)</source>
        <translation>轉給其他坐席（Ctrl+Shift+D）</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="110"/>
        <source>Busy with another customer</source>
        <translation>正在接待其他客戶</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="111"/>
        <source>Not my topic</source>
        <translation>不是我負責的業務</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="112"/>
        <source>Not a language I speak</source>
        <translation>我不會這種語言</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="113"/>
        <source>Other reason</source>
        <translation>其他原因</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="137"/>
        <source>Incoming call</source>
        <translation>來電</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="138"/>
        <source>New email offered</source>
        <translation>新郵件分配</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="139"/>
        <source>New chat offered</source>
        <translation>新聊天分配</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="147"/>
        <source>priority {0}</source>
        <translation>優先順序 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="152"/>
        <source>a colleague</source>
        <translation>一位同事</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="153"/>
        <source>Note from {0}: {1}</source>
        <translation>{0} 的備註：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="156"/>
        <source>+{0} more</source>
        <translation>另有 {0} 個</translation>
    </message>
    <message>
        <location filename="../../ui/offer_toast.py" line="188"/>
        <source>{0} s to answer</source>
        <translation>剩餘 {0} 秒</translation>
    </message>
    <message>
        <source>Take this conversation (Ctrl+Shift+A)</source>
        <translation>接受此會話（Ctrl+Shift+A）</translation>
    </message>
    <message>
        <source>Ctrl+Shift+A accepts · Ctrl+Shift+D declines</source>
        <translation>Ctrl+Shift+A 接受 · Ctrl+Shift+D 拒絕</translation>
    </message>
    <message>
        <source>Ctrl+Shift+A accepts.</source>
        <translation>按 Ctrl+Shift+A 接受。</translation>
    </message>
    <message>
        <source>Subject: {0}</source>
        <translation>主題：{0}</translation>
    </message>
</context>
<context>
    <name>Presence</name>
    <message>
        <location filename="../../ui/presence_control.py" line="49"/>
        <source>Available</source>
        <translation>空閒</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="50"/>
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="51"/>
        <source>Away</source>
        <translation>離開</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="52"/>
        <source>After-call work</source>
        <translation>話後處理</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="53"/>
        <source>Not responding</source>
        <translation>無響應</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="54"/>
        <source>Offline</source>
        <translation>離線</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="61"/>
        <source>Break</source>
        <translation>休息</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="62"/>
        <source>Meeting</source>
        <translation>會議</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="63"/>
        <source>Training</source>
        <translation>培訓</translation>
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
        <translation>我回來了</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="150"/>
        <source>Become available again (Ctrl+1)</source>
        <translation>重新設為空閒（Ctrl+1）</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="193"/>
        <source>Wrap-up: {0} left</source>
        <translation>話後處理：剩餘 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="197"/>
        <source>Offers stopped after missed offers</source>
        <translation>因多次未響應，已暫停分配</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="199"/>
        <source>At capacity</source>
        <translation>已達接待上限</translation>
    </message>
    <message>
        <source>Wrap-up ending…</source>
        <translation>整理即將結束…</translation>
    </message>
</context>
<context>
    <name>PresenceSelector</name>
    <message>
        <location filename="../../ui/presence_control.py" line="86"/>
        <source>Away — {0}</source>
        <translation>離開 — {0}</translation>
    </message>
    <message>
        <location filename="../../ui/presence_control.py" line="96"/>
        <source>Your presence (Ctrl+1 available, Ctrl+2 away, Ctrl+3 offline): new conversations are offered to available agents</source>
        <translation>您的狀態（Ctrl+1 空閒，Ctrl+2 離開，Ctrl+3 離線）：新會話只分配給空閒的坐席</translation>
    </message>
</context>
<context>
    <name>ProfileDetails</name>
    <message>
        <location filename="../../ui/profile_details.py" line="75"/>
        <source>Add a phone, email or id</source>
        <translation>新增電話、信箱或 ID</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="77"/>
        <source>Add</source>
        <translation>新增</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="93"/>
        <source>Contact points</source>
        <translation>聯絡方式</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="96"/>
        <source>Attributes</source>
        <translation>屬性</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="99"/>
        <source>Consent</source>
        <translation>授權同意</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="111"/>
        <source>None known</source>
        <translation>暫無</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="118"/>
        <source>No consent recorded</source>
        <translation>未記錄授權</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="129"/>
        <source>pending</source>
        <translation>待同步</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="131"/>
        <source>unverified</source>
        <translation>未驗證</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="132"/>
        <source>Kept as typed although it did not validate; never used to recognise the customer</source>
        <translation>按輸入原樣保留（未透過校驗）；不會用於識別客戶</translation>
    </message>
    <message>
        <location filename="../../ui/profile_details.py" line="138"/>
        <source>Remove this contact point</source>
        <translation>刪除此聯絡方式</translation>
    </message>
    <message>
        <source>Call this number…</source>
        <translation>撥打此號碼…</translation>
    </message>
    <message>
        <source>Call {0}</source>
        <translation>撥打 {0}</translation>
    </message>
    <message>
        <source>masked</source>
        <translation>已遮蔽</translation>
    </message>
    <message>
        <source>Your role reads phone numbers and e-mail addresses masked</source>
        <translation>您的角色只能看到遮蔽後的電話號碼和信箱地址</translation>
    </message>
    <message>
        <source>Revealing a field needs the hub; you are offline</source>
        <translation>檢視完整欄位需要連線伺服器，您當前離線</translation>
    </message>
    <message>
        <source>Your role may not reveal this field</source>
        <translation>您的角色無權檢視此欄位的完整內容</translation>
    </message>
    <message>
        <source>The hub did not reveal the field ({0})</source>
        <translation>伺服器未顯示該欄位（{0}）</translation>
    </message>
    <message>
        <source>Add an external id</source>
        <translation>新增外部 ID</translation>
    </message>
</context>
<context>
    <name>ProfileHeader</name>
    <message>
        <location filename="../../ui/profile_header.py" line="89"/>
        <source>Customer actions</source>
        <translation>客戶操作</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="137"/>
        <source>prefers {0}</source>
        <translation>偏好{0}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="147"/>
        <source>Value tier</source>
        <translation>價值等級</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="151"/>
        <source>Tag set by an agent</source>
        <translation>坐席設定的標籤</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="157"/>
        <source>Automatic tag ({0}): {1}</source>
        <translation>自動標籤（{0}）：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="169"/>
        <source>Merge with…</source>
        <translation>與…合併</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="174"/>
        <source>Undo merge of {0} ({1})</source>
        <translation>撤銷合併 {0}（{1}）</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="185"/>
        <source>Refresh from the hub</source>
        <translation>從伺服器重新整理</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="197"/>
        <source>{0} contacts in 30 days</source>
        <translation>30 天內聯絡 {0} 次</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="203"/>
        <source>last {0}</source>
        <translation>最近 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="206"/>
        <source>CSAT {0}</source>
        <translation>滿意度 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="209"/>
        <source>NPS {0}</source>
        <translation>NPS {0}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_header.py" line="211"/>
        <source>{0} open</source>
        <translation>{0} 個進行中</translation>
    </message>
    <message>
        <source>Reach out…</source>
        <translation>主動聯絡…</translation>
    </message>
</context>
<context>
    <name>ProfileText</name>
    <message>
        <location filename="../../ui/profile_text.py" line="35"/>
        <source>New</source>
        <translation>新客戶</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="36"/>
        <source>Active</source>
        <translation>活躍</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="37"/>
        <source>High value</source>
        <translation>高價值</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="38"/>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="39"/>
        <source>Churn risk</source>
        <translation>流失風險</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="54"/>
        <source>Phone</source>
        <translation>電話</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="55"/>
        <source>Email</source>
        <translation>信箱</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="56"/>
        <source>Web visitor</source>
        <translation>網頁訪客</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="57"/>
        <source>External id</source>
        <translation>外部 ID</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="64"/>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="65"/>
        <source>A number, e.g. 1250 or 3.5</source>
        <translation>數字，例如 1250 或 3.5</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="68"/>
        <source>A date, YYYY-MM-DD</source>
        <translation>日期，格式 YYYY-MM-DD</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="69"/>
        <source>One of the listed choices</source>
        <translation>列表中的一個選項</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="77"/>
        <source>This value is not valid here. Expected: {0}</source>
        <translation>此值無效。應為：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="85"/>
        <source>The profile could not be saved</source>
        <translation>資料無法儲存</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="87"/>
        <source>The note could not be saved</source>
        <translation>備註無法儲存</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="89"/>
        <source>The note could not be changed</source>
        <translation>備註無法修改</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="91"/>
        <source>The contact point {0} could not be added</source>
        <translation>無法新增聯絡方式 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="95"/>
        <source>The contact point {0} could not be removed</source>
        <translation>無法刪除聯絡方式 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="99"/>
        <source>The customers could not be merged</source>
        <translation>客戶無法合併</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="101"/>
        <source>The merge could not be undone</source>
        <translation>無法撤銷合併</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="102"/>
        <source>The change could not be saved</source>
        <translation>修改無法儲存</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="108"/>
        <source>it is not a valid phone number or email address</source>
        <translation>這不是有效的電話號碼或信箱地址</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="111"/>
        <source>another customer already has this contact point — merge the two customers instead</source>
        <translation>另一位客戶已擁有此聯絡方式 — 請改為合併這兩位客戶</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="115"/>
        <source>the hub refused the merge (a customer cannot be merged into itself, nor while a call with either customer is open, nor undone after later merges)</source>
        <translation>伺服器拒絕了合併（客戶不能與自身合併；任一客戶有進行中的通話時不能合併；之後又有合併時不能撤銷）</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="121"/>
        <source>you do not have permission for this customer</source>
        <translation>您沒有存取該客戶的許可權</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="124"/>
        <source>a value has the wrong type or is not allowed</source>
        <translation>某個值型別錯誤或不被允許</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="127"/>
        <source>the customer or note no longer exists</source>
        <translation>客戶或備註已不存在</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="132"/>
        <source>{0}: {1}.</source>
        <translation>{0}：{1}。</translation>
    </message>
    <message>
        <location filename="../../ui/profile_text.py" line="134"/>
        <source>Hub: {0}</source>
        <translation>伺服器：{0}</translation>
    </message>
    <message>
        <source>frequent contact</source>
        <translation>頻繁聯絡</translation>
    </message>
    <message>
        <source>recent complaint</source>
        <translation>近期投訴</translation>
    </message>
    <message>
        <source>high value</source>
        <translation>高價值</translation>
    </message>
    <message>
        <source>churn risk</source>
        <translation>流失風險</translation>
    </message>
    <message>
        <source>Frequent contact</source>
        <translation>頻繁聯絡</translation>
    </message>
    <message>
        <source>Recent complaint</source>
        <translation>近期投訴</translation>
    </message>
    <message>
        <source>wrote “{0}” on {1} (within {2} days)</source>
        <translation>於 {1} 寫了「{0}」（{2} 天內）</translation>
    </message>
    <message>
        <source>tier is {0}</source>
        <translation>客戶等級為{0}</translation>
    </message>
    <message>
        <source>last NPS {0} (≤ {1})</source>
        <translation>最近一次 NPS 為 {0}（≤ {1}）</translation>
    </message>
    <message>
        <source>average CSAT fell from {0} to {1}</source>
        <translation>平均 CSAT 從 {0} 降到 {1}</translation>
    </message>
</context>
<context>
    <name>QueueDock</name>
    <message>
        <location filename="../../ui/queue_view.py" line="263"/>
        <source>Queues</source>
        <translation>佇列</translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <location filename="../../ui/queue_view.py" line="52"/>
        <source>Queue</source>
        <translation>佇列</translation>
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
        <translation>領取下一個</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="81"/>
        <source>Take the first waiting conversation of the selected queue (Ctrl+Shift+P)</source>
        <translation>領取所選佇列中排在最前的等待會話（Ctrl+Shift+P）</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="151"/>
        <source>{0} waiting</source>
        <translation>{0} 個等待中</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="152"/>
        <source>You serve no queue.</source>
        <translation>您沒有負責的佇列。</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="179"/>
        <source>Within the service level</source>
        <translation>符合服務水準</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="180"/>
        <source>Service level at risk</source>
        <translation>服務水準有風險</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="181"/>
        <source>Service level breached</source>
        <translation>已超出服務水準</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="65"/>
        <source>Customer</source>
        <translation>客戶</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="65"/>
        <source>Channel</source>
        <translation>管道</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="65"/>
        <source>Priority</source>
        <translation>優先順序</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="66"/>
        <source>Waiting conversations</source>
        <translation>等待中的會話</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="76"/>
        <source>Pick</source>
        <translation>領取</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="77"/>
        <source>Take the conversation chosen in the list (Enter in the list)</source>
        <translation>領取列表中選中的會話（在列表中按 Enter）</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="156"/>
        <source>Chat</source>
        <translation>線上聊天</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="156"/>
        <source>Email</source>
        <translation>郵件</translation>
    </message>
    <message>
        <location filename="../../ui/queue_view.py" line="157"/>
        <source>Voice</source>
        <translation>語音</translation>
    </message>
</context>
<context>
    <name>ScreenPopToast</name>
    <message>
        <location filename="../../ui/screen_pop.py" line="30"/>
        <source>Open</source>
        <translation>開啟</translation>
    </message>
    <message>
        <location filename="../../ui/screen_pop.py" line="32"/>
        <source>Later</source>
        <translation>稍後</translation>
    </message>
    <message>
        <location filename="../../ui/screen_pop.py" line="58"/>
        <source>New conversation: {0}</source>
        <translation>新會話：{0}</translation>
    </message>
</context>
<context>
    <name>SearchPopup</name>
    <message>
        <location filename="../../ui/search_popup.py" line="60"/>
        <source>Search</source>
        <translation>搜尋</translation>
    </message>
    <message>
        <location filename="../../ui/search_popup.py" line="69"/>
        <source>Search customers, phone numbers, emails and messages…</source>
        <translation>搜尋客戶、電話、信箱和訊息…</translation>
    </message>
    <message>
        <location filename="../../ui/search_popup.py" line="89"/>
        <location filename="../../ui/search_popup.py" line="113"/>
        <source>Type at least one character. Works offline.</source>
        <translation>至少輸入一個字元。離線也可使用。</translation>
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
        <translation>本地快取中沒有匹配項。</translation>
    </message>
    <message>
        <location filename="../../ui/search_popup.py" line="155"/>
        <source>from the hub</source>
        <translation>來自伺服器</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings_dialog.py" line="50"/>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="54"/>
        <source>Enter sends, Shift+Enter adds a line</source>
        <translation>Enter 傳送，Shift+Enter 換行</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="55"/>
        <source>Ctrl+Enter sends, Enter adds a line</source>
        <translation>Ctrl+Enter 傳送，Enter 換行</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="60"/>
        <source>System default</source>
        <translation>跟隨系統</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="64"/>
        <source>Light</source>
        <translation>淺色</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="65"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="69"/>
        <source>Empty: run a local hub on this computer</source>
        <translation>留空：在本機執行本地服務</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="73"/>
        <source>e.g. store:shanghai — empty: off</source>
        <translation>例如 store:shanghai — 留空：關閉</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="75"/>
        <source>Store mode keeps every customer with this tag, and their history, on this computer, so walk-in customers can be looked up while offline.</source>
        <translation>門店模式會在本機儲存帶有此標籤的所有客戶及其歷史記錄，離線時也能查詢到店客戶。</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="78"/>
        <source>Accept offered chats at once</source>
        <translation>自動接受分配的聊天</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="81"/>
        <source>Chats offered to you open without ringing; calls and emails still ring.</source>
        <translation>分配給您的聊天直接開啟，不再提醒；來電和郵件仍會提醒。</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="84"/>
        <source>Sending</source>
        <translation>傳送方式</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="85"/>
        <source>Language</source>
        <translation>語言</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="86"/>
        <source>Theme</source>
        <translation>主題</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="87"/>
        <source>Hub address</source>
        <translation>伺服器地址</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="88"/>
        <source>Store mode</source>
        <translation>門店模式</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="89"/>
        <source>Offers</source>
        <translation>分配</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="91"/>
        <source>The hub address takes effect the next time Zuoxi starts; the language at once.</source>
        <translation>伺服器地址將在下次啟動坐席時生效；語言立即生效。</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="106"/>
        <source>&amp;General</source>
        <translation>常規(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../ui/settings_dialog.py" line="112"/>
        <source>&amp;Email</source>
        <translation>郵件(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Quick replies</source>
        <translation>快捷回覆(&amp;Q)</translation>
    </message>
    <message>
        <source>Notification sound volume</source>
        <translation>提示音音量</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>靜音</translation>
    </message>
    <message>
        <source>Notification sounds</source>
        <translation>提示音</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>高對比度</translation>
    </message>
    <message>
        <source>High contrast, larger buttons, fewer panels</source>
        <translation>高對比度、更大的按鈕、更少的面板</translation>
    </message>
    <message>
        <source>Easy mode</source>
        <translation>簡易模式</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>文字大小</translation>
    </message>
    <message>
        <source>&amp;Telephony</source>
        <translation>電話(&amp;T)</translation>
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
        <translation>已超出服務水準 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sla_countdown.py" line="80"/>
        <source>Response due in {0}</source>
        <translation>需在 {0} 內回覆</translation>
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
        <translation>{0} 分鐘</translation>
    </message>
    <message>
        <location filename="../../ui/time_text.py" line="33"/>
        <source>{0} h</source>
        <translation>{0} 小時</translation>
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
        <translation>備註</translation>
    </message>
    <message>
        <location filename="../../ui/profile/timeline_view.py" line="190"/>
        <source>Satisfaction rating</source>
        <translation>滿意度評價</translation>
    </message>
    <message>
        <location filename="../../ui/profile/timeline_view.py" line="192"/>
        <source>Recommendation score (NPS)</source>
        <translation>推薦度（NPS）</translation>
    </message>
    <message>
        <location filename="../../ui/profile/timeline_view.py" line="206"/>
        <source>%1 of %2</source>
        <translation>%1 分（滿分 %2 分）</translation>
    </message>
    <message>
        <location filename="../../ui/profile/timeline_view.py" line="209"/>
        <source>solved</source>
        <translation>已解決</translation>
    </message>
    <message>
        <location filename="../../ui/profile/timeline_view.py" line="210"/>
        <source>not solved</source>
        <translation>未解決</translation>
    </message>
    <message>
        <location filename="../../ui/timeline_view.py" line="188"/>
        <source>Contact</source>
        <translation>聯絡</translation>
    </message>
    <message>
        <location filename="../../ui/timeline_view.py" line="197"/>
        <source>not yet synced</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location filename="../../ui/timeline_view.py" line="199"/>
        <source>not saved</source>
        <translation>未儲存</translation>
    </message>
    <message>
        <location filename="../../ui/timeline_view.py" line="202"/>
        <source>open</source>
        <translation>進行中</translation>
    </message>
    <message>
        <location filename="../../ui/timeline_view.py" line="211"/>
        <source>%n message(s)</source>
        <translation>%n 條訊息</translation>
    </message>
    <message>
        <location filename="../../ui/timeline_view.py" line="224"/>
        <source>All channels</source>
        <translation>全部管道</translation>
    </message>
    <message>
        <location filename="../../ui/timeline_view.py" line="269"/>
        <source>No interactions yet</source>
        <translation>暫無互動</translation>
    </message>
    <message>
        <source>Reached out</source>
        <translation>主動聯絡</translation>
    </message>
    <message>
        <source>Proactive message</source>
        <translation>主動訊息</translation>
    </message>
    <message>
        <source>by email</source>
        <translation>透過郵件</translation>
    </message>
    <message>
        <source>in the web chat</source>
        <translation>在網頁聊天中</translation>
    </message>
    <message>
        <source>trigger %1</source>
        <translation>觸發規則 %1</translation>
    </message>
    <message>
        <source>Play recordin&amp;g…</source>
        <translation>播放錄音(&amp;G)…</translation>
    </message>
    <message>
        <source>Play the call recordings of the selected conversation</source>
        <translation>播放所選會話的通話錄音</translation>
    </message>
</context>
<context>
    <name>TranscriptDialog</name>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="23"/>
        <source>Transcript</source>
        <translation>會話記錄</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="27"/>
        <source>Loading…</source>
        <translation>載入中…</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="41"/>
        <source>You may not read this conversation.</source>
        <translation>您無權檢視此會話。</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="42"/>
        <source>This conversation no longer exists.</source>
        <translation>此會話已不存在。</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="44"/>
        <source>Transcript unavailable</source>
        <translation>會話記錄不可用</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="45"/>
        <source>The hub could not be asked ({0}).</source>
        <translation>無法查詢伺服器（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="53"/>
        <source>open</source>
        <translation>進行中</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="54"/>
        <source>closed</source>
        <translation>已結束</translation>
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
        <translation>離線：來自本地快取</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="63"/>
        <source>Customer</source>
        <translation>客戶</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="64"/>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../ui/transcript_dialog.py" line="65"/>
        <source>System</source>
        <translation>系統</translation>
    </message>
    <message>
        <location filename="../../ui/profile/transcript_dialog.py" line="90"/>
        <source>Call transcript</source>
        <translation>通話轉寫</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="73"/>
        <source>Transfer {0}</source>
        <translation>轉接 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="75"/>
        <source>To a &amp;colleague</source>
        <translation>轉給同事(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="76"/>
        <source>To a &amp;queue</source>
        <translation>轉到佇列(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="89"/>
        <source>Internal note for the next agent (the customer does not see it)</source>
        <translation>給下一位坐席的內部備註（客戶看不到）</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="91"/>
        <source>The customer is told that a colleague takes over.</source>
        <translation>系統會告知客戶由同事接手。</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="95"/>
        <source>Transfer</source>
        <translation>轉接</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialogs.py" line="108"/>
        <source>&amp;Note</source>
        <translation>備註(&amp;N)</translation>
    </message>
</context>
<context>
    <name>WalkInDialog</name>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="49"/>
        <source>Walk-in customer</source>
        <translation>到店客戶</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="56"/>
        <source>Name, phone or email</source>
        <translation>姓名、電話或信箱</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="83"/>
        <source>What did the customer come in for?</source>
        <translation>客戶這次來店的目的？</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="85"/>
        <source>Record visit</source>
        <translation>登記到訪</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="86"/>
        <source>Saved here at once; sent to the hub when online</source>
        <translation>立即儲存在本機；線上時傳送到伺服器</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="100"/>
        <source>Visit note</source>
        <translation>到訪備註</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="133"/>
        <source>No customer in the local cache matches “{0}”.</source>
        <translation>本地快取中沒有與「{0}」匹配的客戶。</translation>
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
        <translation>正在搜尋您會話中的客戶。在設定中開啟門店模式，可在本機儲存門店的全部客戶。</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="169"/>
        <source>Store mode ({0}): loading customers… {1} so far</source>
        <translation>門店模式（{0}）：正在載入客戶… 已載入 {1} 位</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="172"/>
        <source>Store mode ({0}): {1} customers available offline</source>
        <translation>門店模式（{0}）：{1} 位客戶可離線查詢</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="186"/>
        <source>The note is too long (at most {0} characters).</source>
        <translation>備註過長（最多 {0} 個字元）。</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="195"/>
        <source>Visit recorded.</source>
        <translation>到訪已登記。</translation>
    </message>
    <message>
        <location filename="../../ui/walk_in_dialog.py" line="196"/>
        <source>Visit recorded; it will be sent when you are back online.</source>
        <translation>到訪已登記；恢復線上後將傳送到伺服器。</translation>
    </message>
</context>
<context>
    <name>WrapUpDialog</name>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="32"/>
        <source>Wrap up the call</source>
        <translation>通話小結</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="34"/>
        <source>Call with {0} · {1}</source>
        <translation>與 {0} 的通話 · {1}</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="38"/>
        <source>Choose an outcome…</source>
        <translation>選擇處理結果…</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="41"/>
        <source>Outcome</source>
        <translation>處理結果</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="43"/>
        <source>What was agreed, what happens next</source>
        <translation>達成了什麼、下一步做什麼</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="49"/>
        <source>&amp;Outcome</source>
        <translation>處理結果(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="50"/>
        <source>&amp;Note</source>
        <translation>備註(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="53"/>
        <source>&amp;Save</source>
        <translation>儲存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="54"/>
        <source>Later</source>
        <translation>稍後</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="64"/>
        <source>The hub has not sent its list of outcomes yet.</source>
        <translation>伺服器尚未傳送處理結果列表。</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="75"/>
        <source>Choose an outcome first.</source>
        <translation>請先選擇處理結果。</translation>
    </message>
    <message>
        <location filename="../../ui/wrap_up_dialog.py" line="79"/>
        <source>The note is too long ({0} characters, at most {1}).</source>
        <translation>備註過長（{0} 個字元，最多 {1} 個）。</translation>
    </message>
</context>
<context>
    <name>Placeholders</name>
    <message>
        <source>Fill in {0} before sending (it is selected: type to replace it).</source>
        <translation>傳送前請先填寫 {0}（已選中，直接輸入即可替換）。</translation>
    </message>
</context>
<context>
    <name>QuickRepliesPage</name>
    <message>
        <source>Search: words, shortcut or pinyin initials</source>
        <translation>搜尋：文字、快捷詞或拼音首字母</translation>
    </message>
    <message>
        <source>&amp;New reply</source>
        <translation>新建回覆(&amp;N)</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>刪除(&amp;L)</translation>
    </message>
    <message>
        <source>e.g. refund — typed after /</source>
        <translation>例如 tuihuo — 在 / 後輸入</translation>
    </message>
    <message>
        <source>Chat and email</source>
        <translation>聊天和郵件</translation>
    </message>
    <message>
        <source>Chat only</source>
        <translation>僅聊天</translation>
    </message>
    <message>
        <source>Email only</source>
        <translation>僅郵件</translation>
    </message>
    <message>
        <source>Personal (only me)</source>
        <translation>個人（僅自己）</translation>
    </message>
    <message>
        <source>Team (everyone)</source>
        <translation>團隊（所有人）</translation>
    </message>
    <message>
        <source>Variables: {{customer.name}}, {{agent.name}}, {{conversation.id}}, {{customer.&lt;attribute&gt;}}; a fallback after |, e.g. {{customer.name|您好}}. [[order number]] is a placeholder the agent must fill in before sending.</source>
        <translation>變數：{{customer.name}}、{{agent.name}}、{{conversation.id}}、{{customer.&lt;屬性&gt;}}；| 後寫預設值，例如 {{customer.name|您好}}。[[訂單號]] 是佔位符，坐席傳送前必須填寫。</translation>
    </message>
    <message>
        <source>A team reply: only supervisors can change it.</source>
        <translation>團隊回覆：只有主管可以修改。</translation>
    </message>
    <message>
        <source>&amp;Save reply</source>
        <translation>儲存回覆(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Title</source>
        <translation>標題(&amp;T)</translation>
    </message>
    <message>
        <source>S&amp;hortcut</source>
        <translation>快捷詞(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Category</source>
        <translation>分類(&amp;C)</translation>
    </message>
    <message>
        <source>C&amp;hannel</source>
        <translation>管道(&amp;H)</translation>
    </message>
    <message>
        <source>Sc&amp;ope</source>
        <translation>範圍(&amp;O)</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>團隊</translation>
    </message>
    <message>
        <source>Personal</source>
        <translation>個人</translation>
    </message>
    <message>
        <source>waiting to sync</source>
        <translation>等待同步</translation>
    </message>
    <message>
        <source>refused by the hub</source>
        <translation>被伺服器拒絕</translation>
    </message>
    <message>
        <source>Read-only: a team reply</source>
        <translation>唯讀：團隊回覆</translation>
    </message>
    <message>
        <source>A reply needs a title and a text.</source>
        <translation>回覆需要標題和內容。</translation>
    </message>
    <message>
        <source>A shortcut is one word, without spaces or &quot;/&quot;.</source>
        <translation>快捷詞是一個詞，不能包含空格或「/」。</translation>
    </message>
    <message>
        <source>Only supervisors can change team replies.</source>
        <translation>只有主管可以修改團隊回覆。</translation>
    </message>
    <message>
        <source>This reply no longer exists.</source>
        <translation>此回覆已不存在。</translation>
    </message>
    <message>
        <source>A reply keeps its scope (personal or team).</source>
        <translation>回覆的範圍（個人或團隊）不能更改。</translation>
    </message>
    <message>
        <source>The hub refused the change ({0}).</source>
        <translation>伺服器拒絕了此修改（{0}）。</translation>
    </message>
</context>
<context>
    <name>QuickReplyPopup</name>
    <message>
        <source>↑↓ choose · Enter insert · Esc close</source>
        <translation>↑↓ 選擇 · Enter 插入 · Esc 關閉</translation>
    </message>
    <message>
        <source>team</source>
        <translation>團隊</translation>
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
        <translation>有幫助</translation>
    </message>
    <message>
        <source>Wrong</source>
        <translation>不相關</translation>
    </message>
    <message>
        <source>Article</source>
        <translation>知識文章</translation>
    </message>
    <message>
        <source>Quick reply</source>
        <translation>快捷回覆</translation>
    </message>
    <message>
        <source>Match {1} % · the customer wrote {0}</source>
        <translation>匹配度 {1}% · 客戶提到 {0}</translation>
    </message>
</context>
<context>
    <name>SuggestionPanel</name>
    <message>
        <source>Suggested answers</source>
        <translation>推薦答案</translation>
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
        <translation>檢視坐席對推薦答案的評價</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在載入…</translation>
    </message>
    <message>
        <source>Not available now ({0}).</source>
        <translation>暫時無法獲取（{0}）。</translation>
    </message>
    <message>
        <source>{0} helpful, {1} wrong</source>
        <translation>{0} 條有幫助，{1} 條不相關</translation>
    </message>
    <message>
        <source>helpful</source>
        <translation>有幫助</translation>
    </message>
    <message>
        <source>wrong</source>
        <translation>不相關</translation>
    </message>
    <message>
        <source>article</source>
        <translation>知識文章</translation>
    </message>
    <message>
        <source>quick reply</source>
        <translation>快捷回覆</translation>
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
        <translation>網頁聊天</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投訴</translation>
    </message>
    <message>
        <source>Billing</source>
        <translation>帳單</translation>
    </message>
    <message>
        <source>Support mailbox</source>
        <translation>客服信箱</translation>
    </message>
    <message>
        <source>Hotline</source>
        <translation>熱線</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已解決</translation>
    </message>
    <message>
        <source>Follow-up needed</source>
        <translation>需要跟進</translation>
    </message>
    <message>
        <source>Customer left</source>
        <translation>客戶已離開</translation>
    </message>
    <message>
        <source>Compensated</source>
        <translation>已補償</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>已升級</translation>
    </message>
    <message>
        <source>Refund issued</source>
        <translation>已退款</translation>
    </message>
    <message>
        <source>ended by the customer</source>
        <translation>客戶結束通話</translation>
    </message>
    <message>
        <source>ended by the agent</source>
        <translation>坐席結束通話</translation>
    </message>
    <message>
        <source>declined</source>
        <translation>已拒接</translation>
    </message>
    <message>
        <source>not answered</source>
        <translation>未接聽</translation>
    </message>
    <message>
        <source>no agent available</source>
        <translation>沒有可用坐席</translation>
    </message>
    <message>
        <source>answered elsewhere</source>
        <translation>已在別處接聽</translation>
    </message>
    <message>
        <source>transferred</source>
        <translation>已轉接</translation>
    </message>
    <message>
        <source>the customer left</source>
        <translation>客戶已離開</translation>
    </message>
    <message>
        <source>the agent left</source>
        <translation>坐席已離開</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
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
        <translation>鍵盤快捷鍵</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按鍵</translation>
    </message>
</context>
<context>
    <name>Mood</name>
    <message>
        <location filename="../../ui/inbox/mood.py" line="1"/>
        <source>Mood: negative</source>
        <translation>情緒：負面</translation>
    </message>
    <message>
        <location filename="../../ui/inbox/mood.py" line="1"/>
        <source>Mood: positive</source>
        <translation>情緒：正面</translation>
    </message>
    <message>
        <location filename="../../ui/inbox/mood.py" line="1"/>
        <source>Mood: neutral</source>
        <translation>情緒：中性</translation>
    </message>
    <message>
        <location filename="../../ui/inbox/mood.py" line="1"/>
        <source>getting worse</source>
        <translation>正在變差</translation>
    </message>
    <message>
        <location filename="../../ui/inbox/mood.py" line="1"/>
        <source>getting better</source>
        <translation>正在好轉</translation>
    </message>
    <message>
        <location filename="../../ui/inbox/mood.py" line="1"/>
        <source>{0}, {1}</source>
        <translation>{0}，{1}</translation>
    </message>
    <message>
        <location filename="../../ui/inbox/mood.py" line="1"/>
        <source>{0} · escalated</source>
        <translation>{0} · 已升級</translation>
    </message>
</context>
<context>
    <name>EscalationAlerts</name>
    <message>
        <location filename="../../ui/supervision/escalation_alerts.py" line="1"/>
        <source>complaint</source>
        <translation>投訴</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/escalation_alerts.py" line="1"/>
        <source>asks for a person</source>
        <translation>要求人工</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/escalation_alerts.py" line="1"/>
        <source>repeated failure</source>
        <translation>反覆出問題</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/escalation_alerts.py" line="1"/>
        <source>safety</source>
        <translation>安全問題</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/escalation_alerts.py" line="1"/>
        <source>very upset</source>
        <translation>非常不滿</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/escalation_alerts.py" line="1"/>
        <source>Escalation: {0}</source>
        <translation>升級：{0}</translation>
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
        <translation>升級提醒</translation>
    </message>
</context>
<context>
    <name>BubbleDelegate</name>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>Self-service bot</source>
        <translation>自助服務機器人</translation>
    </message>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>The customer asked for a person</source>
        <translation>客戶要求轉人工</translation>
    </message>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>The bot's answers did not help the customer</source>
        <translation>機器人的回答沒有解決客戶的問題</translation>
    </message>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>The bot had no answer to the customer's question</source>
        <translation>機器人沒有找到客戶問題的答案</translation>
    </message>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>The customer seemed upset or raised a complaint</source>
        <translation>客戶情緒不滿或提出投訴</translation>
    </message>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>The customer's profile says a person serves them</source>
        <translation>按客戶資料應由人工服務</translation>
    </message>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>The customer uses the widget's easy mode (a person first)</source>
        <translation>客戶使用網頁客服的長輩模式（優先人工服務）</translation>
    </message>
    <message>
        <location filename="../../ui/chat/chat_view.py" line="166"/>
        <source>Handed over by the self-service bot: %1</source>
        <translation>自助服務機器人轉人工：%1</translation>
    </message>
</context>
<context>
    <name>AgentTray</name>
    <message>
        <source>Presence</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Show Zuoxi</source>
        <translation>顯示坐席</translation>
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
        <translation>開啟</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>接聽</translation>
    </message>
</context>
<context>
    <name>CoachingNotesView</name>
    <message>
        <location filename="../../ui/supervision/coaching_notes.py" line="1"/>
        <source>{0} joined the conversation · {1}</source>
        <translation>{0} 加入了對話 · {1}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/coaching_notes.py" line="1"/>
        <source>Coaching from {0} · {1} · not shown to the customer</source>
        <translation>{0} 的輔導 · {1} · 客戶看不到</translation>
    </message>
</context>
<context>
    <name>MonitorDock</name>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>Monitor</source>
        <translation>監控</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>Whisper to the agent (the customer never sees it) — Enter sends</source>
        <translation>悄悄提示坐席（客戶永遠看不到）— 回車傳送</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>Message the customer as yourself — Enter sends</source>
        <translation>以你自己的名義給客戶發訊息 — 回車傳送</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>Barge in</source>
        <translation>介入對話</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>Reassign…</source>
        <translation>重新分配…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>Stop monitoring</source>
        <translation>停止監控</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>No conversation monitored. Choose one with Supervise ▸ Monitor a conversation…</source>
        <translation>未監控任何對話。請透過「督導 ▸ 監控對話…」選擇一個</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>{0}: the conversation is closed</source>
        <translation>{0}：對話已結束</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>{0}: opening…</source>
        <translation>{0}：正在開啟…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>Opening the conversation…</source>
        <translation>正在開啟對話…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>{0} with {1} · you have joined: the customer sees your messages</source>
        <translation>{0} 與 {1} · 你已介入：客戶能看到你的訊息</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_dock.py" line="1"/>
        <source>{0} with {1} · monitoring (read-only): the customer does not see you</source>
        <translation>{0} 與 {1} · 監控中（唯讀）：客戶看不到你</translation>
    </message>
</context>
<context>
    <name>MonitorPicker</name>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Monitor a conversation</source>
        <translation>監控對話</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Not connected: the live list needs the hub.</source>
        <translation>未連線：實時列表需要連線伺服器。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>No live chat or email right now.</source>
        <translation>當前沒有進行中的聊天或郵件。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>{0} · {1} · agent {2} · since {3}</source>
        <translation>{0} · {1} · 坐席 {2} · 開始於 {3}</translation>
    </message>
</context>
<context>
    <name>AgentStateDialog</name>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Set an agent's state</source>
        <translation>設定坐席狀態</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Why (kept in the audit log)</source>
        <translation>原因（記入審計日誌）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Away because</source>
        <translation>離開原因</translation>
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
        <translation>督導(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>&amp;Monitor a conversation…</source>
        <translation>監控對話(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>&amp;Whisper to the agent</source>
        <translation>悄悄提示坐席(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>&amp;Barge in</source>
        <translation>介入對話(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>&amp;Reassign…</source>
        <translation>重新分配(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>S&amp;top monitoring</source>
        <translation>停止監控(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Set an agent's &amp;state…</source>
        <translation>設定坐席狀態(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/monitor_menu.py" line="1"/>
        <source>Reassign the conversation</source>
        <translation>重新分配對話</translation>
    </message>
</context>
<context>
    <name>ArticleEditor</name>
    <message>
        <source>Comma-separated, e.g. returns, 退货</source>
        <translation>用逗號分隔，例如：退貨, returns</translation>
    </message>
    <message>
        <source>Markdown. Put the sentence agents insert under a heading &quot;## Answer&quot; (or &quot;## 答案&quot;), or make it the first paragraph.</source>
        <translation>Markdown 格式。把坐席插入回覆的那句話放在「## 答案」（或「## Answer」）標題下，或寫成第一段。</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Save draft (Ctrl+S)</source>
        <translation>儲存草稿 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Save and publish</source>
        <translation>儲存併發布</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>標題</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>語言</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>標籤</translation>
    </message>
    <message>
        <source>Edit article</source>
        <translation>編輯文章</translation>
    </message>
    <message>
        <source>New article</source>
        <translation>新文章</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在載入…</translation>
    </message>
    <message>
        <source>The history is not available now ({0}).</source>
        <translation>暫時無法檢視版本歷史（{0}）。</translation>
    </message>
    <message>
        <source>Version {0} · {1} · {2} · {3}</source>
        <translation>版本 {0} · {1} · {2} · {3}</translation>
    </message>
    <message>
        <source>An article needs a title and a body.</source>
        <translation>文章需要標題和正文。</translation>
    </message>
    <message>
        <source>Too long: at most 300 characters of title, 12,000 of body and 30 tags.</source>
        <translation>內容過長：標題最多 300 字，正文最多 12,000 字，標籤最多 30 個。</translation>
    </message>
    <message>
        <source>Only supervisors and admins edit the knowledge base.</source>
        <translation>只有主管和管理員可以編輯知識庫。</translation>
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
        <translation>已釋出</translation>
    </message>
    <message>
        <source>Pick an article to read it.</source>
        <translation>選擇一篇文章來閱讀。</translation>
    </message>
    <message>
        <source>{0} · {1} · version {2} by {3} · {4}</source>
        <translation>{0} · {1} · 版本 {2}，作者 {3} · {4}</translation>
    </message>
    <message>
        <source>Tags: {0}</source>
        <translation>標籤：{0}</translation>
    </message>
</context>
<context>
    <name>KnowledgeBaseWindow</name>
    <message>
        <source>Knowledge base</source>
        <translation>知識庫</translation>
    </message>
    <message>
        <source>Search the knowledge base (works offline)</source>
        <translation>搜尋知識庫（離線也可用）</translation>
    </message>
    <message>
        <source>New article (Ctrl+N)</source>
        <translation>新文章 (Ctrl+N)</translation>
    </message>
    <message>
        <source>Edit (Ctrl+E)</source>
        <translation>編輯 (Ctrl+E)</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>釋出</translation>
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
        <translation>知識庫中沒有相關答案。</translation>
    </message>
    <message numerus="yes">
        <source>%n article(s) on this desktop</source>
        <translation>
            <numerusform>本机共有 %n 篇文章</numerusform>
        </translation>
    </message>
    <message>
        <source>{0} — offline: searching this desktop&apos;s copy</source>
        <translation>{0} — 離線：正在搜尋本機副本</translation>
    </message>
    <message>
        <source>{0} (copying from the hub: {1} of {2})</source>
        <translation>{0}（正在從伺服器複製：{1} / {2}）</translation>
    </message>
    <message>
        <source>Saved here; the hub stores it when it is reachable.</source>
        <translation>已在本機儲存；連上伺服器後會自動儲存。</translation>
    </message>
    <message>
        <source>Saving… (waiting for the hub)</source>
        <translation>正在儲存…（等待伺服器）</translation>
    </message>
</context>
<context>
    <name>DrillDialog</name>
    <message>
        <source>Behind the figures</source>
        <translation>資料明細</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在載入…</translation>
    </message>
    <message>
        <source>Not available now ({0}).</source>
        <translation>暫時無法獲取（{0}）。</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>已處理</translation>
    </message>
    <message>
        <source>Avg handle time</source>
        <translation>平均處理時長</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>佇列</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客戶</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>佇列</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>管道</translation>
    </message>
    <message>
        <source>Queued at</source>
        <translation>排隊時間</translation>
    </message>
    <message>
        <source>Wait</source>
        <translation>等待</translation>
    </message>
    <message>
        <source>{0}: {1} of {2}</source>
        <translation>{0}：顯示 {1} / 共 {2}</translation>
    </message>
</context>
<context>
    <name>Supervision</name>
    <message>
        <source>Team</source>
        <translation>班組</translation>
    </message>
    <message>
        <source>Service level by hour</source>
        <translation>各小時服務水準</translation>
    </message>
    <message>
        <source>hour</source>
        <translation>時</translation>
    </message>
    <message>
        <source>Offered by hour</source>
        <translation>各小時進線量</translation>
    </message>
    <message>
        <source>contacts</source>
        <translation>接觸</translation>
    </message>
    <message>
        <source>Waiting, last hour</source>
        <translation>近一小時排隊</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>排隊</translation>
    </message>
    <message>
        <source>minutes ago</source>
        <translation>分鐘前</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>線上聊天</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>語音</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>郵件</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>全部管道</translation>
    </message>
    <message>
        <source>Whole centre</source>
        <translation>全中心</translation>
    </message>
    <message>
        <source>{0}: all queues</source>
        <translation>{0}：全部佇列</translation>
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
        <translation>{0}:{1:02d} 小時</translation>
    </message>
    <message>
        <source>service level below target</source>
        <translation>服務水準低於目標</translation>
    </message>
    <message>
        <source>too many waiting</source>
        <translation>排隊過多</translation>
    </message>
    <message>
        <source>open escalations</source>
        <translation>有未結升級</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Amber</source>
        <translation>黃色預警</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>紅色告警</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>空閒</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>離開</translation>
    </message>
    <message>
        <source>After-call work</source>
        <translation>話後處理</translation>
    </message>
    <message>
        <source>Not responding</source>
        <translation>無響應</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>離線</translation>
    </message>
    <message>
        <source>Waiting now</source>
        <translation>當前排隊</translation>
    </message>
    <message>
        <source>Answered today</source>
        <translation>今日已接</translation>
    </message>
    <message>
        <source>Missed the standard</source>
        <translation>未達標準</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>放棄</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>轉接</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>重新開啟</translation>
    </message>
    <message>
        <source>Open escalations</source>
        <translation>未結升級</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>排隊</translation>
    </message>
    <message>
        <source>Longest wait</source>
        <translation>最長等待</translation>
    </message>
    <message>
        <source>SL today</source>
        <translation>今日服務水準</translation>
    </message>
    <message>
        <source>SL 30 min</source>
        <translation>30分鐘服務水準</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已接</translation>
    </message>
    <message>
        <source>ASA</source>
        <translation>平均應答</translation>
    </message>
    <message>
        <source>AHT</source>
        <translation>平均處理</translation>
    </message>
    <message>
        <source>Occupancy</source>
        <translation>佔用率</translation>
    </message>
    <message>
        <source>FCR</source>
        <translation>首次解決率</translation>
    </message>
    <message>
        <source>CSAT</source>
        <translation>滿意度</translation>
    </message>
    <message>
        <source>NPS</source>
        <translation>NPS</translation>
    </message>
    <message>
        <source>Escalations</source>
        <translation>升級</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Time in state</source>
        <translation>狀態時長</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>已處理</translation>
    </message>
    <message>
        <source>Avg handle time</source>
        <translation>平均處理時長</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>佇列</translation>
    </message>
    <message>
        <source>{0} (disconnected)</source>
        <translation>{0}（已斷線）</translation>
    </message>
    <message>
        <source>Enter or double-click: what is behind these figures</source>
        <translation>回車或雙擊：檢視這些資料的明細</translation>
    </message>
</context>
<context>
    <name>SupervisionActions</name>
    <message>
        <source>Supervisor &amp;workspace</source>
        <translation>主管工作臺(&amp;W)</translation>
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
        <translation>中心暫時不提供資料（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/supervision_actions.py" line="1"/>
        <source>History</source>
        <translation>歷史報表</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/supervision_actions.py" line="1"/>
        <source>Weekly reports</source>
        <translation>週報</translation>
    </message>
</context>
<context>
    <name>SupervisorWorkspace</name>
    <message>
        <source>Supervisor workspace</source>
        <translation>主管工作臺</translation>
    </message>
    <message>
        <source>Waiting for the hub&apos;s figures…</source>
        <translation>正在等待中心的資料…</translation>
    </message>
    <message>
        <source>All queues</source>
        <translation>全部佇列</translation>
    </message>
    <message>
        <source>Roster of &amp;queue:</source>
        <translation>按佇列檢視坐席(&amp;Q)：</translation>
    </message>
    <message>
        <source>Set the agent's &amp;state…</source>
        <translation>設定該坐席的狀態(&amp;S)…</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>全部班組</translation>
    </message>
    <message>
        <source>&amp;Team:</source>
        <translation>班組(&amp;T)：</translation>
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
        <translation>資料明細(&amp;B)</translation>
    </message>
    <message>
        <source>Filter the roster</source>
        <translation>篩選坐席</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>關閉</translation>
    </message>
    <message>
        <source>Updated {0}</source>
        <translation>更新於 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/workspace.py" line="1"/>
        <source>Live figures</source>
        <translation>實時資料</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/workspace.py" line="1"/>
        <source>Show {0}</source>
        <translation>顯示{0}</translation>
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
        <translation>佇列 {0} / {1}</translation>
    </message>
</context>
<context>
    <name>AppealDialog</name>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="152"/>
        <source>Appeal this score</source>
        <translation>申訴此評分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="154"/>
        <source>Why is this score wrong? A supervisor will read it.</source>
        <translation>為什麼這個評分有誤？主管會閱讀您的理由。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="157"/>
        <source>Send the appeal</source>
        <translation>提交申訴</translation>
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
        <translation>問候語</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="24"/>
        <source>Closing</source>
        <translation>結束語</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="25"/>
        <source>Required phrase</source>
        <translation>必說話術</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="26"/>
        <source>Banned phrase</source>
        <translation>禁用語</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="27"/>
        <source>First response time</source>
        <translation>首次響應時間</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="28"/>
        <source>Average response time</source>
        <translation>平均響應時間</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="29"/>
        <source>Empathy</source>
        <translation>安撫共情</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="30"/>
        <source>Resolution confirmed</source>
        <translation>確認解決</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="31"/>
        <source>Customer mood</source>
        <translation>客戶情緒</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="32"/>
        <source>Transfer note</source>
        <translation>轉接備註</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="39"/>
        <source>Passed</source>
        <translation>透過</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="40"/>
        <source>Failed</source>
        <translation>未透過</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="41"/>
        <source>Not applicable</source>
        <translation>不適用</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="56"/>
        <source>Greeted with “{0}”</source>
        <translation>已問候：「{0}」</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="57"/>
        <source>No greeting in the first reply</source>
        <translation>首條回覆沒有問候語</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="58"/>
        <source>Closed with “{0}”</source>
        <translation>已用結束語：「{0}」</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="59"/>
        <source>No closing in the last replies</source>
        <translation>最後幾條回覆沒有結束語</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="60"/>
        <source>Said “{0}”</source>
        <translation>說了「{0}」</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="61"/>
        <source>The required phrase was never said</source>
        <translation>始終未說必說話術</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="62"/>
        <source>No banned phrase</source>
        <translation>未使用禁用語</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="63"/>
        <source>Said “{0}” (messages: {1})</source>
        <translation>說了「{0}」（{1} 條訊息）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="65"/>
        <source>Answered in {0} s (standard {1} s)</source>
        <translation>{0} 秒內接聽（標準 {1} 秒）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="67"/>
        <source>Answered after {0} s (standard {1} s)</source>
        <translation>{0} 秒後才接聽（標準 {1} 秒）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="70"/>
        <source>First reply after {0} s (standard {1} s)</source>
        <translation>首次回覆用時 {0} 秒（標準 {1} 秒）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="73"/>
        <source>First reply late: {0} s (standard {1} s)</source>
        <translation>首次回覆超時：{0} 秒（標準 {1} 秒）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="76"/>
        <source>Average reply {0} s (standard {1} s; replies: {2})</source>
        <translation>平均回覆 {0} 秒（標準 {1} 秒；回覆 {2} 次）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="79"/>
        <source>Average reply too slow: {0} s (standard {1} s; replies: {2})</source>
        <translation>平均回覆過慢：{0} 秒（標準 {1} 秒；回覆 {2} 次）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="82"/>
        <source>Empathy shown: “{0}”</source>
        <translation>已安撫：「{0}」</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="84"/>
        <source>The customer was upset and got no empathy</source>
        <translation>客戶情緒不佳，但未得到安撫</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="86"/>
        <source>Asked whether it was solved: “{0}”</source>
        <translation>已確認是否解決：「{0}」</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="88"/>
        <source>The customer confirmed: “{0}”</source>
        <translation>客戶已確認：「{0}」</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="90"/>
        <source>Nobody confirmed the problem was solved</source>
        <translation>無人確認問題已解決</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="92"/>
        <source>Mood held: {0} at the start, {1} at the end</source>
        <translation>情緒平穩：開始 {0}，結束 {1}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="95"/>
        <source>Mood fell from {0} to {1} (at most {2} allowed)</source>
        <translation>情緒從 {0} 降到 {1}（最多允許下降 {2}）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="98"/>
        <source>Transferred with a note</source>
        <translation>轉接時附有備註</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="99"/>
        <source>Transferred without a note</source>
        <translation>轉接時沒有備註</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="100"/>
        <source>No reply from an agent</source>
        <translation>坐席沒有回覆</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="101"/>
        <source>No response standard for this channel</source>
        <translation>該管道沒有響應標準</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="102"/>
        <source>The call was not answered</source>
        <translation>通話未接聽</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="103"/>
        <source>No message waited for a reply</source>
        <translation>沒有等待回覆的訊息</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="104"/>
        <source>The customer was never upset</source>
        <translation>客戶情緒一直正常</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="105"/>
        <source>Too few messages to compare the mood</source>
        <translation>訊息太少，無法比較情緒</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="106"/>
        <source>Not transferred</source>
        <translation>未轉接</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="107"/>
        <source>Not checked on this channel</source>
        <translation>該管道不檢查此項</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="108"/>
        <source>No transcript of the call</source>
        <translation>該通話沒有轉寫文字</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="119"/>
        <source>Not reviewed</source>
        <translation>未複核</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="120"/>
        <source>Waiting for review</source>
        <translation>待複核</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="121"/>
        <source>Confirmed</source>
        <translation>已確認</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="122"/>
        <source>Overridden</source>
        <translation>已改分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="123"/>
        <source>Appealed</source>
        <translation>已申訴</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="131"/>
        <source>Fatal</source>
        <translation>致命項</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="132"/>
        <source>Low score</source>
        <translation>低分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="133"/>
        <source>Sampled</source>
        <translation>抽檢</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="134"/>
        <source>Appeal</source>
        <translation>申訴</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="140"/>
        <source>Scored</source>
        <translation>已評分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="141"/>
        <source>Scored again</source>
        <translation>已重新評分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="142"/>
        <source>Sent to review</source>
        <translation>已送複核</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="155"/>
        <source>{0} (was {1})</source>
        <translation>{0}（原 {1}）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="162"/>
        <source>Not connected: scores are kept on the hub.</source>
        <translation>未連線：評分儲存在伺服器上。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="163"/>
        <source>The hub did not answer in time.</source>
        <translation>伺服器未及時響應。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="164"/>
        <source>The hub refused: this is for supervisors.</source>
        <translation>伺服器拒絕：此功能僅限主管。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="165"/>
        <source>No score for this conversation.</source>
        <translation>該會話沒有評分。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="166"/>
        <source>The hub refused: the score changed meanwhile.</source>
        <translation>伺服器拒絕：評分已在此期間發生變化。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_text.py" line="168"/>
        <source>The hub refused ({0}).</source>
        <translation>伺服器拒絕（{0}）。</translation>
    </message>
</context>
<context>
    <name>QualityActions</name>
    <message>
        <location filename="../../ui/supervision/quality_actions.py" line="32"/>
        <source>My &amp;quality scores</source>
        <translation>我的質檢評分(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_actions.py" line="36"/>
        <source>Quality &amp;review</source>
        <translation>質檢覆核(&amp;R)</translation>
    </message>
</context>
<context>
    <name>QualityDetail</name>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="52"/>
        <source>Choose a score to see its rules and evidence.</source>
        <translation>選擇一條評分，檢視各項規則和依據。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="60"/>
        <source>Rule</source>
        <translation>規則</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="60"/>
        <source>Verdict</source>
        <translation>結果</translation>
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
        <translation>評分記錄</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="117"/>
        <source>Score {0}</source>
        <translation>得分 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="118"/>
        <source>closed {0}</source>
        <translation>結束於 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="120"/>
        <source>FATAL</source>
        <translation>致命</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="126"/>
        <source>Appeal: {0}</source>
        <translation>申訴：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="139"/>
        <source>{0} · fatal</source>
        <translation>{0} · 致命</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="158"/>
        <source>quality inspection</source>
        <translation>質檢系統</translation>
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
        <translation>暫時無法讀取該會話。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="177"/>
        <source>Conversation (from this computer's cache)</source>
        <translation>會話（來自本機快取）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="178"/>
        <source>Conversation (as the hub keeps it)</source>
        <translation>會話（來自伺服器）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="200"/>
        <source>at {0}</source>
        <translation>於 {0}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="201"/>
        <source>a message no longer stored</source>
        <translation>已不再儲存的訊息</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="249"/>
        <source>Customer</source>
        <translation>客戶</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="250"/>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="251"/>
        <source>Bot</source>
        <translation>機器人</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_detail.py" line="252"/>
        <source>System</source>
        <translation>系統</translation>
    </message>
</context>
<context>
    <name>QualityReviewWindow</name>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="52"/>
        <source>Quality review</source>
        <translation>質檢覆核</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="57"/>
        <source>Review &amp;queue</source>
        <translation>複核佇列(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="58"/>
        <source>&amp;Figures</source>
        <translation>統計(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="73"/>
        <source>Loading the review queue…</source>
        <translation>正在載入複核佇列…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="81"/>
        <source>Your comment (the agent reads it)</source>
        <translation>您的意見（坐席可見）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="86"/>
        <source> points</source>
        <translation> 分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="87"/>
        <source>&amp;Confirm the score</source>
        <translation>確認評分(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="89"/>
        <source>&amp;Override with this score</source>
        <translation>改為此分數(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="93"/>
        <source>Co&amp;mment</source>
        <translation>意見(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="94"/>
        <source>New &amp;score</source>
        <translation>新分數(&amp;S)</translation>
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
        <translation>沒有待複核的評分。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="174"/>
        <source>Sending your decision…</source>
        <translation>正在提交您的決定…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="178"/>
        <source>The hub took the decision.</source>
        <translation>伺服器已接受該決定。</translation>
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
        <translation>會話數</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="192"/>
        <source>Mean score</source>
        <translation>平均分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="193"/>
        <source>Fatal</source>
        <translation>致命項</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="194"/>
        <source>Queue</source>
        <translation>佇列</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="196"/>
        <source>Rule</source>
        <translation>規則</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="196"/>
        <source>Failed</source>
        <translation>未透過</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="196"/>
        <source>Checked</source>
        <translation>檢查數</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="197"/>
        <source>Failed %</source>
        <translation>未透過率 %</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="205"/>
        <source>Per agent</source>
        <translation>按坐席</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="206"/>
        <source>Per queue</source>
        <translation>按佇列</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="208"/>
        <source>Per team</source>
        <translation>按團隊</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="196"/>
        <source>Team</source>
        <translation>團隊</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_review.py" line="207"/>
        <source>Most-failed rules</source>
        <translation>最常未透過的規則</translation>
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
        <translation>我的質檢評分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="192"/>
        <source>Loading your scores…</source>
        <translation>正在載入您的評分…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="198"/>
        <source>&amp;Appeal…</source>
        <translation>申訴(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="223"/>
        <source>Refresh</source>
        <translation>重新整理</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="227"/>
        <source>Close</source>
        <translation>關閉</translation>
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
        <translation>還沒有已評分的會話。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="280"/>
        <source>You may appeal until {0}.</source>
        <translation>您可以在 {0} 之前申訴。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="281"/>
        <source>Your appeal is being sent.</source>
        <translation>您的申訴正在傳送。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="282"/>
        <source>Appealed: a score is appealed once.</source>
        <translation>已申訴：每個評分只能申訴一次。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="283"/>
        <source>The appeal window closed on {0}.</source>
        <translation>申訴期已於 {0} 結束。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="284"/>
        <source>Only the scored agent may appeal.</source>
        <translation>只有被評分的坐席可以申訴。</translation>
    </message>
</context>
<context>
    <name>ScoreList</name>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="53"/>
        <source>Closed</source>
        <translation>結束時間</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="53"/>
        <source>Channel</source>
        <translation>管道</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="53"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="53"/>
        <source>Fatal</source>
        <translation>致命項</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/quality_scores.py" line="54"/>
        <source>Review</source>
        <translation>複核</translation>
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
        <translation>顯示(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>&amp;Export CSV…</source>
        <translation>匯出 CSV(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Choose a range and show its figures.</source>
        <translation>選擇日期範圍並顯示其資料。</translation>
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
        <translation>分組方式(&amp;G)：</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Days are UTC, both included; at most {0} days.</source>
        <translation>日期按 UTC 計算，首尾兩天均包含；最多 {0} 天。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Show the history</source>
        <translation>顯示歷史報表</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Export the history as CSV</source>
        <translation>將歷史報表匯出為 CSV</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>The hub is computing the figures…</source>
        <translation>伺服器正在計算資料…</translation>
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
        <translation>最多選擇 {0} 天；更長的範圍請在伺服器命令列匯出（zuoxi-hub report history）。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>The last day must not be before the first.</source>
        <translation>截止日期不能早於起始日期。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Reports are for supervisors: the hub refused.</source>
        <translation>報表僅供主管檢視：伺服器已拒絕。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>The hub refused this range.</source>
        <translation>伺服器拒絕了這個日期範圍。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Not connected to the hub; try again when connected.</source>
        <translation>未連線到伺服器；連線後請重試。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>The hub could not make the report ({0}).</source>
        <translation>伺服器無法生成報表（{0}）。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Export the history</source>
        <translation>匯出歷史報表</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 檔案 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Could not write {0}: {1}</source>
        <translation>無法寫入 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_view.py" line="1"/>
        <source>Exported to {0}.</source>
        <translation>已匯出到 {0}。</translation>
    </message>
</context>
<context>
    <name>SupervisionHistory</name>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Conversations and answered</source>
        <translation>會話量與接起量</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>contacts</source>
        <translation>聯絡</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Service level</source>
        <translation>服務水準</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Hour</source>
        <translation>小時</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Queue</source>
        <translation>佇列</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Channel</source>
        <translation>管道</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Conversations</source>
        <translation>會話</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Offered</source>
        <translation>進線</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Answered</source>
        <translation>接起</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Avg speed of answer</source>
        <translation>平均應答速度</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Abandoned</source>
        <translation>放棄</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Abandon rate</source>
        <translation>放棄率</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Avg handle time</source>
        <translation>平均處理時長</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Occupancy</source>
        <translation>佔用率</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>First contact resolution</source>
        <translation>首次解決率</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Transfers</source>
        <translation>轉接</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>CSAT ratings</source>
        <translation>滿意度評價數</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>CSAT average</source>
        <translation>滿意度均分</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>Satisfied</source>
        <translation>滿意率</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/history_model.py" line="1"/>
        <source>NPS answers</source>
        <translation>NPS 答卷數</translation>
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
        <translation>狀態</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Made at</source>
        <translation>生成時間</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Open the &amp;page</source>
        <translation>開啟網頁版(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Open the P&amp;DF</source>
        <translation>開啟 PDF(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>&amp;Refresh</source>
        <translation>重新整理(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>&amp;Make the report</source>
        <translation>生成周報(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Wee&amp;k of:</source>
        <translation>所在周(&amp;K)：</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>The hub makes each week's report (Monday to Sunday, UTC) on its schedule; a past week can be made here.</source>
        <translation>伺服器按計劃生成每週的週報（週一至週日，UTC）；已結束的周也可在此生成。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Refresh the weekly reports</source>
        <translation>重新整理週報列表</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Open the weekly report's page</source>
        <translation>開啟週報網頁版</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Open the weekly report's PDF</source>
        <translation>開啟週報 PDF</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Asking the hub…</source>
        <translation>正在詢問伺服器…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>The hub is making the report of the week of {0}…</source>
        <translation>伺服器正在生成 {0} 所在周的週報…</translation>
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
        <translation>正在下載…</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Opened {0}.</source>
        <translation>已開啟 {0}。</translation>
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
        <translation>失敗（見伺服器日誌）</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Reports are for supervisors: the hub refused.</source>
        <translation>報表僅供主管檢視：伺服器已拒絕。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Choose a week that has ended.</source>
        <translation>請選擇已經結束的一週。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>That week's report is being made now; refresh in a moment.</source>
        <translation>該周的週報正在生成；請稍後重新整理。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>The hub no longer has that report; refresh the list.</source>
        <translation>伺服器上已沒有這份週報；請重新整理列表。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>Not connected to the hub; try again when connected.</source>
        <translation>未連線到伺服器；連線後請重試。</translation>
    </message>
    <message>
        <location filename="../../ui/supervision/weekly_reports_view.py" line="1"/>
        <source>The hub could not do this ({0}).</source>
        <translation>伺服器無法完成此操作（{0}）。</translation>
    </message>
</context>
<context>
    <name>FollowUpActions</name>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>Open a conversation first to make a follow-up of it.</source>
        <translation>請先開啟一個會話，再為它新建工單。</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>Follow-up due: {0}</source>
        <translation>工單即將到期：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>{0}, due {1}</source>
        <translation>{0}，到期時間 {1}</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Change the due time</source>
        <translation>更改到期時間</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>New follow-up</source>
        <translation>新建工單</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>What is left to do (optional)</source>
        <translation>還需要做什麼（可選）</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Customer:</source>
        <translation>客戶：</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>&amp;Type:</source>
        <translation>型別(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>&amp;Due:</source>
        <translation>到期(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>&amp;Note:</source>
        <translation>備註(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Save</source>
        <translation>儲存</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Create</source>
        <translation>建立</translation>
    </message>
</context>
<context>
    <name>FollowUpModel</name>
    <message>
        <location filename="../../ui/followups/followup_list.py" line="1"/>
        <source>{0}, {1}, {2}, due {3}</source>
        <translation>{0}，{1}，{2}，到期時間 {3}</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_list.py" line="1"/>
        <source>Due {0}</source>
        <translation>到期時間 {0}</translation>
    </message>
</context>
<context>
    <name>FollowUpPane</name>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>No follow-ups. Make one from a conversation with Ctrl+Shift+J.</source>
        <translation>暫無工單。在會話中按 Ctrl+Shift+J 新建。</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>&amp;Waiting</source>
        <translation>等待客戶(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>Waiting for the customer</source>
        <translation>等待客戶回覆</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>S&amp;olved</source>
        <translation>已解決(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>D&amp;ue…</source>
        <translation>到期(&amp;U)…</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_actions.py" line="1"/>
        <source>Change the due time</source>
        <translation>更改到期時間</translation>
    </message>
</context>
<context>
    <name>FollowUps</name>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Call back</source>
        <translation>回電</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Investigation</source>
        <translation>調查處理</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Complaint</source>
        <translation>投訴</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Open</source>
        <translation>待處理</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Waiting for customer</source>
        <translation>等待客戶</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Solved</source>
        <translation>已解決</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>The due time has passed.</source>
        <translation>到期時間已過。</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>The note is too long (at most {0} characters).</source>
        <translation>備註太長（最多 {0} 個字元）。</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>This follow-up is gone.</source>
        <translation>該工單已不存在。</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>Only its owner or a supervisor may change this follow-up.</source>
        <translation>只有工單負責人或主管可以更改該工單。</translation>
    </message>
    <message>
        <location filename="../../ui/followups/followup_dialog.py" line="1"/>
        <source>The follow-up could not be saved ({0}).</source>
        <translation>工單未能儲存（{0}）。</translation>
    </message>
</context>
<context>
    <name>ReachOutDialog</name>
    <message>
        <source>Reach out</source>
        <translation>主動聯絡</translation>
    </message>
    <message>
        <source>Reach out to {0}</source>
        <translation>主動聯絡 {0}</translation>
    </message>
    <message>
        <source>If the customer is online in the web chat, your message opens a chat with you there. Otherwise it is emailed to {0}.</source>
        <translation>如果客戶正在網頁聊天中線上，您的訊息會在那裡開啟一個由您接待的對話；否則將透過郵件傳送至 {0}。</translation>
    </message>
    <message>
        <source>If the customer is online in the web chat, your message opens a chat with you there. They have no email address, so otherwise it cannot be sent.</source>
        <translation>如果客戶正在網頁聊天中線上，您的訊息會在那裡開啟一個由您接待的對話；該客戶沒有信箱地址，否則無法傳送。</translation>
    </message>
    <message>
        <source>Subject, if it is emailed</source>
        <translation>主題（透過郵件傳送時使用）</translation>
    </message>
    <message>
        <source>Email subject</source>
        <translation>郵件主題</translation>
    </message>
    <message>
        <source>Your message to the customer</source>
        <translation>給客戶的訊息</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>訊息</translation>
    </message>
    <message>
        <source>&amp;Subject</source>
        <translation>主題(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation>訊息(&amp;M)</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>傳送</translation>
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
        <translation>通話錄音</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>錄音</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>Play or pause (Space)</source>
        <translation>播放或暫停（空格鍵）</translation>
    </message>
    <message>
        <source>Position in the recording</source>
        <translation>錄音中的位置</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>儲存(&amp;S)…</translation>
    </message>
    <message>
        <source>Save the recording as a file (Ctrl+S)</source>
        <translation>將錄音儲存為檔案 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>關閉</translation>
    </message>
    <message>
        <source>Loading the recordings of this conversation…</source>
        <translation>正在載入此會話的錄音…</translation>
    </message>
    <message>
        <source>This conversation has no recordings you may play.</source>
        <translation>此會話沒有您可以播放的錄音。</translation>
    </message>
    <message>
        <source>Call recorded {0} ({1})</source>
        <translation>通話錄音 {0}（{1}）</translation>
    </message>
    <message>
        <source>Fetching the recording…</source>
        <translation>正在獲取錄音…</translation>
    </message>
    <message>
        <source>The hub cannot be reached; try again when it is back.</source>
        <translation>無法連線伺服器；請在恢復後重試。</translation>
    </message>
    <message>
        <source>Your session has expired; sign in again.</source>
        <translation>您的會話已過期；請重新登入。</translation>
    </message>
    <message>
        <source>You may not play this recording.</source>
        <translation>您無權播放此錄音。</translation>
    </message>
    <message>
        <source>The recording is no longer kept.</source>
        <translation>此錄音已不再保留。</translation>
    </message>
    <message>
        <source>The recording could not be fetched ({0}).</source>
        <translation>無法獲取錄音（{0}）。</translation>
    </message>
    <message>
        <source>The recording could not be played: {0}</source>
        <translation>無法播放錄音：{0}</translation>
    </message>
    <message>
        <source>No audio output device: the recording cannot be played here. Save it and play it on another computer.</source>
        <translation>沒有音訊輸出裝置：無法在此播放錄音。請儲存後在其他電腦上播放。</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暫停(&amp;P)</translation>
    </message>
    <message>
        <source>Save the recording</source>
        <translation>保存錄音</translation>
    </message>
    <message>
        <source>Ogg Opus audio (*.ogg)</source>
        <translation>Ogg Opus 音訊 (*.ogg)</translation>
    </message>
    <message>
        <source>Saved as {0}</source>
        <translation>已儲存為 {0}</translation>
    </message>
</context>
<context>
    <name>DesktopTelephony</name>
    <message>
        <source>The telephone is switched on but its password is not stored: type it under Settings → Telephony.</source>
        <translation>電話已開啟，但未儲存密碼：請在「設定 → 電話」中輸入。</translation>
    </message>
    <message>
        <source>The PBX&apos;s certificate file cannot be read: {0}</source>
        <translation>無法讀取交換機的證書檔案：{0}</translation>
    </message>
    <message>
        <source>The telephone could not register at the PBX ({0}): check the account under Settings → Telephony.</source>
        <translation>電話無法在交換機註冊（{0}）：請在「設定 → 電話」中檢查賬號。</translation>
    </message>
    <message>
        <source>Telephone ready: calls from the PBX ring here.</source>
        <translation>電話已就緒：交換機的來電會在這裡振鈴。</translation>
    </message>
</context>
<context>
    <name>TelephonyPage</name>
    <message>
        <source>&amp;Ring calls from the PBX on this computer (a SIP telephone)</source>
        <translation>在這臺電腦上接聽交換機來電（SIP 電話）(&amp;R)</translation>
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
        <translation>已儲存——輸入即可修改</translation>
    </message>
    <message>
        <source>Not stored yet</source>
        <translation>尚未儲存</translation>
    </message>
    <message>
        <source>Optional: a PEM file of the PBX&apos;s certificate</source>
        <translation>可選：交換機證書的 PEM 檔案</translation>
    </message>
    <message>
        <source>Test re&amp;gistration</source>
        <translation>測試註冊(&amp;G)</translation>
    </message>
    <message>
        <source>Registers once with these settings and this password, then unregisters</source>
        <translation>用這些設定和密碼註冊一次，然後登出</translation>
    </message>
    <message>
        <source>Testing the registration</source>
        <translation>正在測試註冊</translation>
    </message>
    <message>
        <source>Result of the registration test</source>
        <translation>註冊測試結果</translation>
    </message>
    <message>
        <source>PBX &amp;address</source>
        <translation>交換機地址(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>使用者(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Domain / realm</source>
        <translation>域 / 認證域(&amp;D)</translation>
    </message>
    <message>
        <source>Display &amp;name</source>
        <translation>顯示名稱(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>密碼(&amp;P)</translation>
    </message>
    <message>
        <source>Trusted &amp;certificate</source>
        <translation>受信任的證書(&amp;C)</translation>
    </message>
    <message>
        <source>The password is kept in the system keyring, never in the settings file.</source>
        <translation>密碼儲存在系統金鑰環中，絕不寫入設定檔案。</translation>
    </message>
    <message>
        <source>This computer has no system keyring: the password is kept until Zuoxi closes and must be typed again after a restart.</source>
        <translation>此電腦沒有系統金鑰環：密碼只保留到坐席關閉為止，重啟後需要重新輸入。</translation>
    </message>
    <message>
        <source>Type the password of the SIP account.</source>
        <translation>請輸入 SIP 賬號的密碼。</translation>
    </message>
    <message>
        <source>Registering as {0} at {1}…</source>
        <translation>正在以 {0} 註冊到 {1}…</translation>
    </message>
    <message>
        <source>The test could not run: {0}</source>
        <translation>無法進行測試：{0}</translation>
    </message>
    <message>
        <source>✓ Registered: the PBX accepted this account.</source>
        <translation>✓ 註冊成功：交換機接受了此賬號。</translation>
    </message>
    <message>
        <source>✗ Wrong user or password: the PBX refused the credentials ({0}).</source>
        <translation>✗ 使用者或密碼錯誤：交換機拒絕了憑據（{0}）。</translation>
    </message>
    <message>
        <source>✗ The PBX cannot be reached at this address (check the address, the port, the certificate and the network).</source>
        <translation>✗ 無法透過此地址連線交換機（請檢查地址、埠、證書和網路）。</translation>
    </message>
    <message>
        <source>✗ The PBX did not answer in time. Try again, or ask its administrator.</source>
        <translation>✗ 交換機未及時應答。請重試，或聯絡其管理員。</translation>
    </message>
    <message>
        <source>✗ The PBX refused the registration ({0}).</source>
        <translation>✗ 交換機拒絕了註冊（{0}）。</translation>
    </message>
    <message>
        <source>✗ The settings cannot be used: {0}</source>
        <translation>✗ 這些設定無法使用：{0}</translation>
    </message>
    <message>
        <source>The PBX address must start with wss:// (or ws://) and name a host.</source>
        <translation>交換機地址必須以 wss://（或 ws://）開頭幷包含主機名。</translation>
    </message>
    <message>
        <source>The user is the extension or SIP user name, without spaces or @.</source>
        <translation>使用者是分機號或 SIP 使用者名稱，不能包含空格或 @。</translation>
    </message>
    <message>
        <source>The domain (realm) is the PBX&apos;s SIP domain, e.g. pbx.example.com.</source>
        <translation>域（認證域）是交換機的 SIP 域，例如 pbx.example.com。</translation>
    </message>
</context>
<context>
    <name>CacheEncryptionWindow</name>
    <message>
        <source>Zuoxi: encrypting the local cache</source>
        <translation>坐席：正在加密本地快取</translation>
    </message>
    <message>
        <source>Encrypting the local cache</source>
        <translation>正在加密本地快取</translation>
    </message>
    <message>
        <source>This happens once, after the update: the copy of your conversations on this computer is being encrypted. Nothing is lost, replies not sent yet included. Zuoxi opens as soon as it is done.</source>
        <translation>更新後只需進行一次：正在加密此電腦上的會話副本。不會丟失任何內容，包括尚未傳送的回覆。完成後坐席會立即開啟。</translation>
    </message>
    <message>
        <source>Writing the encrypted copy: {0} of {1} MB</source>
        <translation>正在寫入加密副本：{0} / {1} MB</translation>
    </message>
    <message>
        <source>Checking the encrypted copy against the original…</source>
        <translation>正在將加密副本與原檔案核對…</translation>
    </message>
    <message>
        <source>Replacing the unencrypted file and erasing it…</source>
        <translation>正在替換並擦除未加密的檔案…</translation>
    </message>
    <message>
        <source>Done. Opening Zuoxi…</source>
        <translation>完成，正在開啟坐席…</translation>
    </message>
</context>
<context>
    <name>CacheLockedDialog</name>
    <message>
        <source>The local cache is locked</source>
        <translation>本地快取已鎖定</translation>
    </message>
    <message>
        <source>The local cache is encrypted, and its key is not in this computer&apos;s keyring.</source>
        <translation>本地快取已加密，但此電腦的金鑰環中沒有它的金鑰。</translation>
    </message>
    <message>
        <source>The local cache is encrypted, and the key in this computer&apos;s keyring does not open it.</source>
        <translation>本地快取已加密，但此電腦金鑰環中的金鑰無法開啟它。</translation>
    </message>
    <message>
        <source>Re-sync: the locked file is set aside and your conversations are loaded again from the hub. Replies not sent yet stay in the locked file: they cannot be sent without its key.

Quit: bring the key back (unlock the keyring, or sign in to the desktop session that holds it) and start Zuoxi again. Nothing is changed.</source>
        <translation>重新同步：鎖定的檔案會被移到一旁，您的會話將從伺服器重新載入。尚未傳送的回覆留在鎖定的檔案中：沒有它的金鑰就無法傳送。

退出：找回金鑰（解鎖金鑰環，或登入儲存它的桌面會話），然後重新啟動坐席。不會做任何更改。</translation>
    </message>
    <message>
        <source>File: {0}</source>
        <translation>檔案：{0}</translation>
    </message>
    <message>
        <source>Re-sync from the hub</source>
        <translation>從伺服器重新同步</translation>
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
        <translation>撥打號碼</translation>
    </message>
    <message>
        <source>&amp;Number:</source>
        <translation>號碼(&amp;N)：</translation>
    </message>
    <message>
        <source>Phone number or extension</source>
        <translation>電話號碼或分機號</translation>
    </message>
    <message>
        <source>Number to call</source>
        <translation>要撥打的號碼</translation>
    </message>
    <message>
        <source>&amp;Recent numbers:</source>
        <translation>最近撥打(&amp;R)：</translation>
    </message>
    <message>
        <source>Recent numbers</source>
        <translation>最近撥打的號碼</translation>
    </message>
    <message>
        <source>&amp;Call</source>
        <translation>撥打(&amp;C)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Only digits, +, * and # can be dialled; “{0}” was left out.</source>
        <translation>只能撥打數字、+、* 和 #；已略去「{0}」。</translation>
    </message>
    <message>
        <source>A + can only be the first character.</source>
        <translation>+ 只能是第一個字元。</translation>
    </message>
    <message>
        <source>The number is longer than {0} characters.</source>
        <translation>號碼超過 {0} 個字元。</translation>
    </message>
</context>
<context>
    <name>MaskedField</name>
    <message>
        <source>Masked: your role does not read this field in full</source>
        <translation>已遮蔽：您的角色無權檢視此欄位的完整內容</translation>
    </message>
    <message>
        <source>Reveal</source>
        <translation>檢視</translation>
    </message>
    <message>
        <source>Show the value once; the hub records who saw it</source>
        <translation>顯示一次完整內容；伺服器會記錄檢視人</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（無）</translation>
    </message>
    <message>
        <source>Revealing…</source>
        <translation>正在獲取…</translation>
    </message>
    <message>
        <source>Revealed for you; recorded in the audit log</source>
        <translation>已為您顯示；已記入審計日誌</translation>
    </message>
</context>
<context>
    <name>KbListingProgress</name>
    <message>
        <source>Copying the knowledge base for offline search: {0} of {1}</source>
        <translation>正在複製知識庫以供離線搜尋：{0} / {1}</translation>
    </message>
    <message>
        <source>Knowledge base copied for offline search: {0} of {1}; the rest follows when online</source>
        <translation>已複製知識庫以供離線搜尋：{0} / {1}；其餘部分在聯網後繼續</translation>
    </message>
    <message>
        <source>Copying the knowledge base for offline search: {0}</source>
        <translation>正在複製知識庫以供離線搜尋：{0}</translation>
    </message>
    <message>
        <source>Knowledge base copied for offline search: {0}; the rest follows when online</source>
        <translation>已複製知識庫以供離線搜尋：{0}；其餘部分在聯網後繼續</translation>
    </message>
</context>
</TS>
