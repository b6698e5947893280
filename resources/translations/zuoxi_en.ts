<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>CallDesk</name>
    <message numerus="yes">
        <source>%n call(s) on hold</source>
        <translation>
            <numerusform>%n call on hold</numerusform>
            <numerusform>%n calls on hold</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EmailCard</name>
    <message numerus="yes">
        <source>%n remote image(s) blocked to protect your privacy.</source>
        <translation>
            <numerusform>%n remote image blocked to protect your privacy.</numerusform>
            <numerusform>%n remote images blocked to protect your privacy.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Plurals</name>
    <message numerus="yes">
        <source>%n contact(s) in 30 days</source>
        <translation>
            <numerusform>%n contact in 30 days</numerusform>
            <numerusform>%n contacts in 30 days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s) in the last {0} days</source>
        <translation>
            <numerusform>%n contact in the last {0} days</numerusform>
            <numerusform>%n contacts in the last {0} days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n message</numerusform>
            <numerusform>%n messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchPopup</name>
    <message numerus="yes">
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n customer</numerusform>
            <numerusform>%n customers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TranscriptDialog</name>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n message</numerusform>
            <numerusform>%n messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WalkInDialog</name>
    <message numerus="yes">
        <source>%n customer(s) found</source>
        <translation>
            <numerusform>%n customer found</numerusform>
            <numerusform>%n customers found</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AgentTray</name>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n unread</numerusform>
            <numerusform>%n unread</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n waiting</numerusform>
            <numerusform>%n waiting</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KnowledgeBaseWindow</name>
    <message numerus="yes">
        <source>%n article(s) found</source>
        <translation>
            <numerusform>%n article found</numerusform>
            <numerusform>%n articles found</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n article(s) on this desktop</source>
        <translation>
            <numerusform>%n article on this desktop</numerusform>
            <numerusform>%n articles on this desktop</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QualityReviewWindow</name>
    <message numerus="yes">
        <source>%n score(s) waiting for review</source>
        <translation>
            <numerusform>%n score waiting for review</numerusform>
            <numerusform>%n scores waiting for review</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Last %n day(s)</source>
        <translation>
            <numerusform>Last day</numerusform>
            <numerusform>Last %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n scored conversation(s)</source>
        <translation>
            <numerusform>%n scored conversation</numerusform>
            <numerusform>%n scored conversations</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QualityScoresWindow</name>
    <message numerus="yes">
        <source>%n scored conversation(s)</source>
        <translation>
            <numerusform>%n scored conversation</numerusform>
            <numerusform>%n scored conversations</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message numerus="yes">
        <source>%n group(s).</source>
        <translation>
            <numerusform>%n group.</numerusform>
            <numerusform>%n groups.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WeeklyReportsView</name>
    <message numerus="yes">
        <source>%n report(s).</source>
        <translation>
            <numerusform>%n report.</numerusform>
            <numerusform>%n reports.</numerusform>
        </translation>
    </message>
</context>
</TS>
