<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>About</name>
    <message>
        <location filename="../../nibi_desk/gui/help.py" line="+136"/>
        <source>font</source>
        <translation>字体</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>web library</source>
        <translation>网页组件</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>NIBI Desk (新基建巡检台)</source>
        <translation>新基建巡检台（NIBI Desk）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Offline registry and field inspection of 5G base stations, smart poles and cameras.</source>
        <translation>5G 基站、多功能智能杆和视频监控的离线登记与外业巡检。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Versions</source>
        <translation>版本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bundled fonts and web libraries</source>
        <translation>随附的字体和网页组件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qt and PySide6: LGPL-3.0 (dynamically linked; the libraries ship as separate files). Click a licence to read it.</source>
        <translation>Qt 和 PySide6：LGPL-3.0（动态链接，库以独立文件随附）。点击许可证可阅读全文。</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <location line="+13"/>
        <source>About NIBI Desk</source>
        <translation>关于新基建巡检台</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <location filename="../../nibi_desk/gui/actions.py" line="+27"/>
        <source>&amp;Open registry…</source>
        <translation>打开登记库(&amp;O)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open a registry file</source>
        <translation>打开登记库文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New registry for a county…</source>
        <translation>新建区县登记库(&amp;N)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Create an empty registry for a county</source>
        <translation>为一个区县新建空登记库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the &amp;demo county (老河口市)</source>
        <translation>打开示例区县（老河口市）(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Import ledger (Excel/CSV)…</source>
        <translation>导入台账（Excel/CSV）(&amp;I)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import assets from a county ledger</source>
        <translation>从区县台账导入设施</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export assets to CSV, Excel, GeoJSON, KML or GeoPackage</source>
        <translation>将设施导出为 CSV、Excel、GeoJSON、KML 或 GeoPackage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Backups and restore…</source>
        <translation>备份与恢复(&amp;B)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatic backups of this registry; restore an earlier state</source>
        <translation>此登记库的自动备份；恢复到之前的状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export &amp;bundle…</source>
        <translation>导出数据包(&amp;B)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dispatch, return, roll up or back up as a signed bundle file</source>
        <translation>以签名数据包下发、回传、上报或备份</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import b&amp;undle…</source>
        <translation>导入数据包(&amp;U)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check a bundle, preview what it changes, then import it</source>
        <translation>校验数据包，预览变更后再导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Conflicts…</source>
        <translation>冲突处理(&amp;C)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Values edited in two places: choose which to keep</source>
        <translation>同一数值在两处被修改：选择保留哪一个</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Devices and exchanges…</source>
        <translation>设备与交换记录(&amp;D)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enrol inspectors&apos; devices and see the exchange history</source>
        <translation>登记巡检员设备并查看数据交换记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Period &amp;summary (PDF)…</source>
        <translation>周期汇总(PDF)(&amp;S)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KPIs per township and type against the county&apos;s targets</source>
        <translation>按乡镇和类型对照本县目标统计各项指标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>T&amp;argets and population…</source>
        <translation>考核目标与人口(&amp;A)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The KPI targets per division and period, and the population per division</source>
        <translation>按行政区划和期间设置考核指标目标，以及各区划人口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inspection &amp;reports (PDF)…</source>
        <translation>巡检报告(PDF)(&amp;R)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All inspections of a plan, township or period</source>
        <translation>某计划、乡镇或周期内的全部巡检</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Asset &amp;tags (PDF)…</source>
        <translation>设施标签(PDF)(&amp;T)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>QR tag sheet for the selected asset or the current filter</source>
        <translation>为选中设施或当前筛选结果生成二维码标签页</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prepare photos for &amp;printing…</source>
        <translation>准备打印用照片(&amp;P)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Make the print copies that the submitted inspections&apos; photos do not have yet, so that printing their reports is fast</source>
        <translation>为已提交巡检中尚无打印副本的照片制作打印副本，使打印报告更快</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language, inspector, units, reports</source>
        <translation>语言、巡检员、单位、报表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New asset…</source>
        <translation>新建设施(&amp;N)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add an asset to the registry</source>
        <translation>向登记库添加设施</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Edit asset…</source>
        <translation>编辑设施(&amp;E)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit the selected asset</source>
        <translation>编辑选中的设施</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Delete asset</source>
        <translation>删除设施(&amp;D)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete the selected asset (kept as a tombstone)</source>
        <translation>删除选中的设施（保留删除标记）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search by name, code or address</source>
        <translation>按名称、编码或地址搜索</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ne&amp;xt asset</source>
        <translation>下一个设施(&amp;X)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pre&amp;vious asset</source>
        <translation>上一个设施(&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start &amp;inspection</source>
        <translation>开始巡检(&amp;I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inspect the selected asset: checklist, photos, defects, signature</source>
        <translation>巡检所选设施：检查表、照片、缺陷、签名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Today&apos;s tasks</source>
        <translation>今日任务(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your open inspection tasks: overdue, today, this week</source>
        <translation>我的待办巡检任务：已逾期、今天到期、本周到期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inspection &amp;plans…</source>
        <translation>巡检计划(&amp;P)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plans, their progress, new plans and tasks</source>
        <translation>巡检计划及其进度，新建计划和生成任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Defects and rectification…</source>
        <translation>缺陷与整改(&amp;D)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Defects, notices, rectifications and verification</source>
        <translation>缺陷、整改通知、整改记录和验收</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Asset &amp;details</source>
        <translation>设施详情(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show or hide the detail panel</source>
        <translation>显示或隐藏详情面板</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Map</source>
        <translation>地图(&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the offline map (opens on first use)</source>
        <translation>显示离线地图（首次使用时打开）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Dark theme</source>
        <translation>深色主题(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;User guide</source>
        <translation>用户指南(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the user guide (works offline)</source>
        <translation>打开用户指南（离线可用）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About NIBI Desk</source>
        <translation>关于新基建巡检台(&amp;A)</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../nibi_desk/gui/app.py" line="+59"/>
        <source>Cannot open the registry</source>
        <translation>无法打开登记库</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>Open registry</source>
        <translation>打开登记库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NIBI registries (*.nibi);;All files (*)</source>
        <translation>NIBI 登记库 (*.nibi);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Creating the demo county 老河口市…</source>
        <translation>正在创建演示县 老河口市…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Import bundle</source>
        <translation>导入数据包</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Importing bundles is not available in this version.</source>
        <translation>此版本尚不能导入数据包。</translation>
    </message>
</context>
<context>
    <name>AssetCard</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/window_parts.py" line="+85"/>
        <source>{template} · {inspector} · started {time}</source>
        <translation>{template} · {inspector} · 开始于 {time}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Submitted {0}: read only</source>
        <translation>已于 {0} 提交：只读</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>✓ {0} m from the asset</source>
        <translation>✓ 距设施 {0} 米</translation>
    </message>
</context>
<context>
    <name>AssetColumns</name>
    <message>
        <location filename="../../nibi_desk/gui/browser/columns.py" line="+28"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Operator</source>
        <translation>运营商</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Owner</source>
        <translation>产权单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>BeiDou grid code</source>
        <translation>北斗网格码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
</context>
<context>
    <name>AssetEditor</name>
    <message>
        <location filename="../../nibi_desk/gui/asset_editor.py" line="+66"/>
        <source>New asset</source>
        <translation>新建设施</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit asset — {0}</source>
        <translation>编辑设施 — {0}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>— township —</source>
        <translation>— 乡镇 —</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>— whole township —</source>
        <translation>— 整个乡镇 —</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The map of the main window is not available here</source>
        <translation>此处无法使用主窗口的地图</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Already mounted; moving a device to another pole is not possible here yet</source>
        <translation>已挂载；暂不支持在此将设备移到其他杆塔</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>This type is not mounted on a pole</source>
        <translation>此类型不挂载在杆塔上</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>This type has no attributes</source>
        <translation>此类型没有属性</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>No pole or tower “{0}” in this registry: pick one from the list</source>
        <translation>本登记库中没有杆塔“{0}”：请从列表中选择</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Note: {0}</source>
        <translation>提示：{0}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Click the map where “{name}” is (Esc cancels)</source>
        <translation>请在地图上点击“{name}”的位置（按 Esc 取消）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click the map where the asset is (Esc cancels)</source>
        <translation>请在地图上点击设施的位置（按 Esc 取消）</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Saving asset</source>
        <translation>正在保存设施</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The asset was saved but not mounted</source>
        <translation>设施已保存，但未能挂载</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The asset was not saved</source>
        <translation>设施未保存</translation>
    </message>
</context>
<context>
    <name>AssetEditorForm</name>
    <message>
        <location filename="../../ui/asset_editor.ui" line="+16"/>
        <location line="+25"/>
        <source>Asset</source>
        <translation>设施</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Type</source>
        <translation>类型(&amp;T)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>&amp;Name</source>
        <translation>名称(&amp;N)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>&amp;Code</source>
        <translation>编码(&amp;C)</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>&amp;Status</source>
        <translation>状态(&amp;S)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>&amp;Division</source>
        <translation>行政区划(&amp;D)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Township, town or sub-district</source>
        <translation>乡、镇或街道</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Village or community (optional)</source>
        <translation>村或社区（可选）</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>&amp;Address</source>
        <translation>地址(&amp;A)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>&amp;Owner</source>
        <translation>产权单位(&amp;O)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>O&amp;perator</source>
        <translation>运营商(&amp;P)</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>&amp;Mounted on</source>
        <translation>挂载于(&amp;M)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>code or name of the pole or tower (optional)</source>
        <translation>杆塔的编码或名称（可选）</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>No&amp;tes</source>
        <translation>备注(&amp;T)</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Coordinate s&amp;ystem</source>
        <translation>坐标系(&amp;Y)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The system the coordinates were read in. Map apps (Amap, Tencent) use GCJ-02, Baidu uses BD-09; the registry stores WGS-84.</source>
        <translation>读取坐标时所用的坐标系。高德、腾讯地图使用 GCJ-02，百度地图使用 BD-09；登记库以 WGS-84 存储。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>WGS-84 / CGCS2000 (GPS, BeiDou)</source>
        <translation>WGS-84 / CGCS2000（GPS、北斗）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>GCJ-02 (Amap, Tencent)</source>
        <translation>GCJ-02（高德、腾讯）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>BD-09 (Baidu)</source>
        <translation>BD-09（百度）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lo&amp;ngitude</source>
        <translation>经度(&amp;N)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>e.g. 111.675 or 111°40′30″E</source>
        <translation>例如 111.675 或 111°40′30″E</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>P&amp;ick on map</source>
        <translation>在地图上选取(&amp;I)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This dialog steps aside: click the position on the map (WGS-84). Esc or the map&apos;s Cancel button brings it back unchanged.</source>
        <translation>本对话框会暂时隐藏：请在地图上点击位置（WGS-84）。按 Esc 或地图上的“取消”按钮可返回，内容不变。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&amp;Latitude</source>
        <translation>纬度(&amp;L)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>e.g. 32.39 or 32°23′24″N</source>
        <translation>例如 32.39 或 32°23′24″N</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>WGS-84 (stored)</source>
        <translation>WGS-84（存储值）</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>BeiDou grid code</source>
        <translation>北斗网格码</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Altitu&amp;de</source>
        <translation>海拔(&amp;D)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>m</source>
        <translation>米</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
</context>
<context>
    <name>AssetTexts</name>
    <message>
        <location filename="../../nibi_desk/gui/detail_common.py" line="+92"/>
        <source>Planned</source>
        <translation>规划</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Under construction</source>
        <translation>在建</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In service</source>
        <translation>在用</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Faulty</source>
        <translation>故障</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decommissioned</source>
        <translation>已退役</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Division</source>
        <translation>行政区划</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Altitude</source>
        <translation>海拔</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>BeiDou grid code</source>
        <translation>北斗网格码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Owner</source>
        <translation>产权单位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Operator</source>
        <translation>运营商</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>created</source>
        <translation>创建</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>restored</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>, </source>
        <translation>，</translation>
    </message>
</context>
<context>
    <name>AttributeField</name>
    <message>
        <location filename="../../nibi_desk/gui/attribute_fields.py" line="+48"/>
        <source>Click to cycle: yes, not set, no</source>
        <translation>单击切换：是、未设置、否</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>set</source>
        <translation>已设置</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>— not set —</source>
        <translation>— 未设置 —</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
</context>
<context>
    <name>Backups</name>
    <message>
        <location filename="../../nibi_desk/gui/backups.py" line="+15"/>
        <source>Opened</source>
        <translation>打开时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Before a ledger import</source>
        <translation>导入台账前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Before a bundle import</source>
        <translation>导入数据包前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Before a restore</source>
        <translation>恢复前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backed up by hand</source>
        <translation>手动备份</translation>
    </message>
</context>
<context>
    <name>BackupsDialog</name>
    <message>
        <location line="+65"/>
        <source>Backups of {name}</source>
        <translation>{name} 的备份</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NIBI Desk backs up this registry when you open it and before every import, and keeps the newest {n} in {folder}. Restoring puts the chosen backup in place of the registry; the current state is backed up first, so a restore can be undone. Photos are never removed, so they need no restore.</source>
        <translation>新基建巡检台在打开此登记库时和每次导入前自动备份，并在 {folder} 中保留最新的 {n} 份。恢复会用所选备份替换登记库；当前状态会先备份一份，所以恢复也可以撤销。照片从不删除，无需恢复。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back up &amp;now</source>
        <translation>立即备份(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Restore…</source>
        <translation>恢复(&amp;R)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From a backup &amp;bundle…</source>
        <translation>从备份包恢复(&amp;B)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restore a backup bundle (.nibx) made elsewhere as a new registry</source>
        <translation>将在别处制作的备份包（.nibx）恢复为新的登记库</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Restore backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replace the registry with the backup of {when} ({reason})? Changes made since then are set aside in a new backup, from which they can be restored again.</source>
        <translation>用 {when}（{reason}）的备份替换登记库吗？此后所做的修改会另存为一份新备份，可以从中再恢复。</translation>
    </message>
</context>
<context>
    <name>BundleApplyPage</name>
    <message>
        <location filename="../../nibi_desk/gui/sync/import_wizard.py" line="+286"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Show conflicts…</source>
        <translation>查看冲突…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Importing in one transaction…</source>
        <translation>正在一个事务中导入…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Import a bundle</source>
        <translation>导入数据包</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Imported: {0} new, {1} updated, {2} conflicting, {3} refused.</source>
        <translation>已导入：新增 {0}，更新 {1}，冲突 {2}，拒收 {3}。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nothing was imported.</source>
        <translation>没有导入任何内容。</translation>
    </message>
</context>
<context>
    <name>BundleExportDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/sync/export_dialog.py" line="+22"/>
        <location line="+104"/>
        <source>Export a bundle</source>
        <translation>导出数据包</translation>
    </message>
    <message>
        <location line="-100"/>
        <source>Dispatch: a plan or township for an inspector</source>
        <translation>下发：给巡检员的计划或乡镇</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Return: inspection results for the office</source>
        <translation>回传：交给县里的巡检结果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rollup: the whole county for the city</source>
        <translation>汇总：全县数据报市</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backup: everything, to restore later</source>
        <translation>备份：全部数据，以便日后恢复</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Anyone (full bundle)</source>
        <translation>任何接收方（完整数据包）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Everything, not only what changed since the last bundle sent there</source>
        <translation>全部内容，而不仅是自上次发给该设备以来的变更</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>(no plan)</source>
        <translation>（无计划）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>(no township)</source>
        <translation>（无乡镇）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>optional MBTiles file</source>
        <translation>可选的 MBTiles 文件</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For device:</source>
        <translation>接收设备：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Plan:</source>
        <translation>计划：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Township:</source>
        <translation>乡镇：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Basemap:</source>
        <translation>底图：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel export</source>
        <translation>取消导出</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Save the bundle</source>
        <translation>保存数据包</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NIBI bundles (*.nibx)</source>
        <translation>NIBI 数据包 (*.nibx)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Choose the file to write.</source>
        <translation>请选择要写出的文件。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Writing the bundle…</source>
        <translation>正在写出数据包…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Wrote {0}: {1} records, {2} photos, {3} bytes.</source>
        <translation>已写出 {0}：{1} 条记录，{2} 张照片，{3} 字节。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only changes since the last bundle sent there.</source>
        <translation>仅包含自上次发给该设备以来的变更。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The export failed; no bundle was written.</source>
        <translation>导出失败，没有写出数据包。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancelled; no bundle was written.</source>
        <translation>已取消，没有写出数据包。</translation>
    </message>
</context>
<context>
    <name>BundleFilePage</name>
    <message>
        <location filename="../../nibi_desk/gui/sync/import_wizard.py" line="-238"/>
        <source>Bundle file</source>
        <translation>数据包文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A .nibx bundle from an inspector, the county office or the city. It is checked completely before anything is imported.</source>
        <translation>来自巡检员、县里或市里的 .nibx 数据包。导入任何内容之前都会完整检查。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Choose a bundle</source>
        <translation>选择数据包</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NIBI bundles (*.nibx);;All files (*)</source>
        <translation>NIBI 数据包 (*.nibx);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>BundleImportWizard</name>
    <message>
        <location line="-61"/>
        <source>Import a bundle</source>
        <translation>导入数据包</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
</context>
<context>
    <name>BundlePreviewPage</name>
    <message>
        <location line="+87"/>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the import would do. Nothing has been written yet.</source>
        <translation>导入将会做什么。目前尚未写入任何内容。</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+5"/>
        <source>Records</source>
        <translation>记录</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>New</source>
        <translation>新增</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Updated</source>
        <translation>更新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unchanged</source>
        <translation>未变</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Conflicting</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Refused</source>
        <translation>拒收</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fields or reason</source>
        <translation>字段或原因</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trust this one bundle (office; recorded in the audit log)</source>
        <translation>信任这一个数据包（县级管理员；记入审计日志）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>why this bundle is trusted</source>
        <translation>信任此数据包的理由</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop checking</source>
        <translation>停止检查</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Checking the bundle: signature, hashes, sizes and every record…</source>
        <translation>正在检查数据包：签名、哈希、大小和每条记录…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check a bundle</source>
        <translation>检查数据包</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+31"/>
        <source>The bundle was refused; nothing was imported.</source>
        <translation>数据包被拒收，没有导入任何内容。</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>Checking the photos and other files…</source>
        <translation>正在校验照片和其他文件…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Check the bundle&apos;s files</source>
        <translation>校验数据包中的文件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Checking the photos and other files: {0} of {1} MB…</source>
        <translation>正在校验照片和其他文件：{0} / {1} MB…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Every file of the bundle is checked.</source>
        <translation>数据包中的文件已全部校验。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>From {0} (device {1}), a {2} bundle.</source>
        <translation>来自 {0}（设备 {1}），{2} 类数据包。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} new, {1} updated, {2} unchanged, {3} conflicting, {4} refused.</source>
        <translation>新增 {0}，更新 {1}，未变 {2}，冲突 {3}，拒收 {4}。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This bundle was imported before ({0}).</source>
        <translation>此数据包之前已导入过（{0}）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The sending device is not trusted here ({0}). Enroll it, or trust this one bundle.</source>
        <translation>发送设备在此不受信任（{0}）。请登记该设备，或信任这一个数据包。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>refused</source>
        <translation>拒收</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>updated</source>
        <translation>更新</translation>
    </message>
</context>
<context>
    <name>ColumnChooser</name>
    <message>
        <location filename="../../nibi_desk/gui/browser/column_chooser.py" line="+82"/>
        <source>Columns</source>
        <translation>列</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Restore default columns</source>
        <translation>恢复默认列</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/sync/conflicts_view.py" line="+29"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open</source>
        <translation>未处理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolved</source>
        <translation>已处理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closed by a newer edit</source>
        <translation>已被较新的修改取代</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mine</source>
        <translation>本方</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Theirs</source>
        <translation>对方</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Since</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>or type the right value</source>
        <translation>或输入正确的值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Base (before both changes)</source>
        <translation>原值（双方修改之前）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mine (this registry)</source>
        <translation>本方（本台账）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Theirs (the bundle)</source>
        <translation>对方（数据包）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Keep mine</source>
        <translation>保留本方</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Take theirs</source>
        <translation>采用对方</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use the edited value</source>
        <translation>使用编辑后的值</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>{0} conflict(s)</source>
        <translation>{0} 条冲突</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Resolve all {0} conflicts alike (same field, same two values)</source>
        <translation>以同样方式处理全部 {0} 条同类冲突（同一字段、两边值相同）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Resolve conflicts</source>
        <translation>处理冲突</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} conflict(s) resolved.</source>
        <translation>已处理 {0} 条冲突。</translation>
    </message>
</context>
<context>
    <name>Controllers</name>
    <message>
        <location filename="../../nibi_desk/gui/controllers.py" line="+20"/>
        <source>Edit asset</source>
        <translation>编辑设施</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+78"/>
        <source>Select an asset in the table first.</source>
        <translation>请先在表格中选择一个设施。</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Asset tags</source>
        <translation>设施标签</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Delete asset</source>
        <translation>删除设施</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete {name} ({code})? It stays in the history and the deletion travels to other registries.</source>
        <translation>删除 {name}（{code}）？该设施仍保留在历史记录中，删除操作会同步到其他登记库。</translation>
    </message>
</context>
<context>
    <name>DataDirPage</name>
    <message>
        <location filename="../../nibi_desk/gui/pref_pages.py" line="+201"/>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registries, photos, caches and logs are kept here. A new folder takes effect after a restart.</source>
        <translation>登记库、照片、缓存和日志都保存在此处。更换文件夹后需重新启动才能生效。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose the data directory</source>
        <translation>选择数据目录</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose a data directory.</source>
        <translation>请选择数据目录。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The data directory must be a full path.</source>
        <translation>数据目录必须是完整路径。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The data directory is a file, not a folder.</source>
        <translation>数据目录是一个文件，而不是文件夹。</translation>
    </message>
</context>
<context>
    <name>DefectsView</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/defects_view.py" line="+120"/>
        <source>Defects and rectification</source>
        <translation>缺陷与整改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not closed</source>
        <translation>未销号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All severities</source>
        <translation>全部等级</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Overdue only</source>
        <translation>仅看逾期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Asset</source>
        <translation>设施</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Defect</source>
        <translation>缺陷</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Severity</source>
        <translation>等级</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Deadline</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Responsible unit</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issue notice…</source>
        <translation>下发整改通知…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Record rectification…</source>
        <translation>登记整改…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+119"/>
        <source>Verify and close</source>
        <translation>验收销号</translation>
    </message>
    <message>
        <location line="-119"/>
        <source>Reopen…</source>
        <translation>退回重新整改…</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>{0} defects</source>
        <translation>共 {0} 条缺陷</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Select a defect to see it and act on it.</source>
        <translation>选择一条缺陷以查看和处理。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Category: {0}</source>
        <translation>类别：{0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deadline: {0}</source>
        <translation>整改期限：{0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Notice {no} of {date} to {unit}</source>
        <translation>整改通知 {no}（{date}），责任单位：{unit}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rectification note: {0}</source>
        <translation>整改说明：{0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Has the rectification of this defect been checked, and should it be closed?</source>
        <translation>该缺陷的整改已经核实，确定验收销号吗？</translation>
    </message>
</context>
<context>
    <name>DetailDock</name>
    <message>
        <location filename="../../nibi_desk/gui/detail_dock.py" line="+23"/>
        <location line="+111"/>
        <source>Asset details</source>
        <translation>设施详情</translation>
    </message>
    <message>
        <location line="-97"/>
        <location line="+16"/>
        <source>Select an asset to see its details</source>
        <translation>选择一个设施以查看详情</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>This asset no longer exists</source>
        <translation>该设施已不存在</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>Cannot show this asset: {0}</source>
        <translation>无法显示该设施：{0}</translation>
    </message>
</context>
<context>
    <name>DetailSections</name>
    <message>
        <location filename="../../nibi_desk/gui/detail_sections.py" line="+79"/>
        <source>Deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Location and ownership</source>
        <translation>位置与权属</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+2"/>
        <source>Position (WGS-84)</source>
        <translation>位置（WGS-84）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not located yet</source>
        <translation>尚未定位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} m</source>
        <translation>{0} 米</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unknown asset type {0}</source>
        <translation>未知的设施类型 {0}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>BeiDou grid code</source>
        <translation>北斗网格码</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No grid code: the asset has no position yet</source>
        <translation>无网格码：该设施尚无位置</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Level 10</source>
        <translation>第 10 级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cell</source>
        <translation>网格</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{0} × {1} (about {2} × {3})</source>
        <translation>{0} × {1}（约 {2} × {3}）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Level 7</source>
        <translation>第 7 级</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{0} ({1} × {2}, about {3} × {4})</source>
        <translation>{0}（{1} × {2}，约 {3} × {4}）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>GB/T 28181 decoding</source>
        <translation>GB/T 28181 编码解析</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No GB/T 28181 ID recorded</source>
        <translation>未登记 GB/T 28181 编码</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Mounts</source>
        <translation>挂载</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Carries</source>
        <translation>承载</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mounted on</source>
        <translation>挂载于</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not mounted and carries nothing</source>
        <translation>未挂载，也未承载任何设备</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Show this asset</source>
        <translation>显示该设施</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No photos yet</source>
        <translation>暂无照片</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>cannot read
{0}</source>
        <translation>无法读取
{0}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Inspections</source>
        <translation>巡检</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No history recorded</source>
        <translation>暂无历史记录</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>unknown user</source>
        <translation>未知用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} · {1} · {2}</source>
        <translation>{0} · {1} · {2}</translation>
    </message>
</context>
<context>
    <name>DevicesDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/sync/devices_dialog.py" line="+47"/>
        <source>Devices and exchanges</source>
        <translation>设备与交换</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This device</source>
        <translation>本设备</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enrolled devices</source>
        <translation>已登记设备</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exchange history</source>
        <translation>交换记录</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Save the device card…</source>
        <translation>保存设备卡…</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+90"/>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <location line="-89"/>
        <source>Key fingerprint:</source>
        <translation>密钥指纹：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>QR code:</source>
        <translation>二维码：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>QR text:</source>
        <translation>二维码文本：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Save the device card</source>
        <translation>保存设备卡</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Device cards (*.nibikey)</source>
        <translation>设备卡 (*.nibikey)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Device card</source>
        <translation>设备卡</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Saved {0}. Give it to the office, which enrolls it.</source>
        <translation>已保存 {0}。请交给县里登记。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+67"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location line="-67"/>
        <source>County</source>
        <translation>区县</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enroll from a card file…</source>
        <translation>从设备卡文件登记…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enroll from QR text…</source>
        <translation>从二维码文本登记…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Revoke</source>
        <translation>吊销</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Choose a device card</source>
        <translation>选择设备卡</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device cards (*.nibikey);;All files (*)</source>
        <translation>设备卡 (*.nibikey);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+13"/>
        <location line="+3"/>
        <source>Enroll a device</source>
        <translation>登记设备</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>QR text of the device card:</source>
        <translation>设备卡的二维码文本：</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Enroll {0} (device {1})? Compare the key fingerprint with the one the device shows:
{2}</source>
        <translation>登记 {0}（设备 {1}）？请与设备上显示的密钥指纹核对：
{2}</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+4"/>
        <source>Revoke a device</source>
        <translation>吊销设备</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Refuse every bundle from {0} from now on?</source>
        <translation>从此拒收来自 {0} 的所有数据包？</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Records</source>
        <translation>记录</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>revoked</source>
        <translation>已吊销</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>enrolled</source>
        <translation>已登记</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>All devices</source>
        <translation>所有设备</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Sent up to {0}; received up to {1}.</source>
        <translation>已发送至 {0}；已接收至 {1}。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sent</source>
        <translation>发出</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>received</source>
        <translation>收到</translation>
    </message>
</context>
<context>
    <name>DraftSaver</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/saver.py" line="+82"/>
        <source>Saving the draft</source>
        <translation>正在保存草稿</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../nibi_desk/gui/interaction.py" line="+25"/>
        <source>Invalid record</source>
        <translation>记录无效</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Invalid value</source>
        <translation>无效的值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import failed</source>
        <translation>导入失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registry error</source>
        <translation>登记库错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resource missing</source>
        <translation>缺少资源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+110"/>
        <source>Save report…</source>
        <translation>保存报告…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Save error report</source>
        <translation>保存错误报告</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Zip archives (*.zip)</source>
        <translation>Zip 压缩文件 (*.zip)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Saved {path}. Give this file to your county&apos;s IT staff: it holds the program&apos;s log and versions, and no registry data.</source>
        <translation>已保存 {path}。请把此文件交给县里的信息化工作人员：其中包含程序日志和版本信息，不含任何登记库数据。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>An unexpected error occurred:</source>
        <translation>发生了意外错误：</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/interop/export_dialog.py" line="+25"/>
        <source>Export assets</source>
        <translation>导出设施</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Excel workbook (.xlsx), one sheet per type</source>
        <translation>Excel 工作簿（.xlsx），每类设施一个工作表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV (.csv, UTF-8 for Excel)</source>
        <translation>CSV（.csv，Excel 可直接打开的 UTF-8）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GeoJSON (.geojson)</source>
        <translation>GeoJSON（.geojson）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KML for desktop globes (.kml)</source>
        <translation>KML，用于三维地球软件（.kml）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GeoPackage for QGIS (.gpkg)</source>
        <translation>GeoPackage，用于 QGIS（.gpkg）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>All townships</source>
        <translation>全部乡镇（街道）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Only the current map view</source>
        <translation>仅当前地图视图</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>EPSG:4326 (WGS 84)</source>
        <translation>EPSG:4326（WGS 84）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>EPSG:4490 (CGCS2000)</source>
        <translation>EPSG:4490（CGCS2000）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Township:</source>
        <translation>乡镇（街道）：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Spatial reference:</source>
        <translation>空间参考：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Exporting assets</source>
        <translation>正在导出设施</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Exported {count} assets to {path}</source>
        <translation>已导出 {count} 个设施到 {path}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} assets without a location are not in the file.</source>
        <translation>{n} 个没有位置的设施未写入文件。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Nothing was exported.</source>
        <translation>未导出任何内容。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Stopped: no file was written.</source>
        <translation>已停止：未写入文件。</translation>
    </message>
</context>
<context>
    <name>FieldRow</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/fields.py" line="+171"/>
        <source>Range {0}–{1} {2}</source>
        <translation>范围 {0}–{1} {2}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>passes at {0}–{1}</source>
        <translation>合格范围 {0}–{1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>passes at ≤ {0}</source>
        <translation>合格 ≤ {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>passes at ≥ {0}</source>
        <translation>合格 ≥ {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>photo required</source>
        <translation>须附照片</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>✓ Pass</source>
        <translation>✓ 合格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>✗ Fail</source>
        <translation>✗ 不合格</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>None of these</source>
        <translation>均无</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Note (optional)</source>
        <translation>备注（选填）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+60"/>
        <source>N/A</source>
        <translation>不适用</translation>
    </message>
    <message>
        <location line="-59"/>
        <source>Not applicable at this asset</source>
        <translation>本设施不涉及此项</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+66"/>
        <source>Photos ({0})</source>
        <translation>照片（{0}）</translation>
    </message>
    <message>
        <location line="-65"/>
        <source>Raise defect…</source>
        <translation>登记缺陷…</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fail</source>
        <translation>不合格</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Defect raised: {severity} · {status}</source>
        <translation>已登记缺陷：{severity} · {status}</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../../nibi_desk/gui/browser/filter_bar.py" line="+79"/>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Asset type</source>
        <translation>设施类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All townships</source>
        <translation>全部乡镇</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All operators</source>
        <translation>全部运营商</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Operator</source>
        <translation>运营商</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Inspection due/overdue</source>
        <translation>巡检到期/逾期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open defects</source>
        <translation>未关闭缺陷</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Available once inspections arrive in this registry</source>
        <translation>登记库中有巡检记录后可用</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/startup.py" line="+19"/>
        <source>Welcome to NIBI Desk</source>
        <translation>欢迎使用新基建巡检台</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>NIBI Desk keeps a county&apos;s registry of 5G base stations, smart poles and cameras, and works without a network. Where would you like to start?</source>
        <translation>新基建巡检台用于管理一个县的 5G 基站、多功能智能杆和视频监控登记库，无需联网即可使用。您想从哪里开始？</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open the demo county (老河口市)</source>
        <translation>打开演示县（老河口市）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About 22,000 generated assets to explore every screen</source>
        <translation>约 22,000 个生成的设施，可用于体验各个界面</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create a registry for a county…</source>
        <translation>为一个县创建登记库…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start an empty registry from the division table</source>
        <translation>根据行政区划表新建空登记库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a registry file…</source>
        <translation>打开登记库文件…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A .nibi file from this computer or a USB stick</source>
        <translation>本机或 U 盘中的 .nibi 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restore a backup bundle…</source>
        <translation>恢复备份包…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A backup bundle (.nibx) made on another computer, restored as a new registry</source>
        <translation>在另一台计算机上制作的备份包（.nibx），恢复为新的登记库</translation>
    </message>
</context>
<context>
    <name>FormWidget</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/form_widget.py" line="+197"/>
        <source>Score: &lt;b&gt;{0}&lt;/b&gt;</source>
        <translation>得分：&lt;b&gt;{0}&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Result: &lt;b style=&apos;color:{0}&apos;&gt;{1}&lt;/b&gt;</source>
        <translation>结论：&lt;b style=&apos;color:{0}&apos;&gt;{1}&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} of {1} answered</source>
        <translation>已填 {0}/{1} 项</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} failed</source>
        <translation>{0} 项不合格</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;span style=&apos;color:{0}&apos;&gt;{1} to complete&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:{0}&apos;&gt;{1} 项待完成&lt;/span&gt;</translation>
    </message>
</context>
<context>
    <name>GuideWindow</name>
    <message>
        <location filename="../../nibi_desk/gui/help.py" line="-70"/>
        <source>NIBI Desk user guide</source>
        <translation>新基建巡检台用户指南</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contents</source>
        <translation>目录</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/history.py" line="+51"/>
        <source>No inspections yet</source>
        <translation>尚无巡检记录</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{0} · {1}</source>
        <translation>{0} · {1}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Corrected by a later record</source>
        <translation>已由后续记录更正</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>and {0} earlier inspections</source>
        <translation>另有 {0} 条更早的巡检记录</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Next inspection due {0}</source>
        <translation>下次巡检截止 {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{0} inspection(s) in progress (drafts)</source>
        <translation>{0} 条巡检正在进行（草稿）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open defects: {0}, overdue: {1}</source>
        <translation>未销号缺陷：{0} 条，逾期：{1} 条</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{severity} · {status} · due {deadline}: {description}</source>
        <translation>{severity} · {status} · 期限 {deadline}：{description}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../nibi_desk/gui/interop/import_wizard.py" line="+31"/>
        <source>Import a ledger</source>
        <translation>导入台账</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
</context>
<context>
    <name>Inspection</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/__init__.py" line="+88"/>
        <source>Field inspection</source>
        <translation>现场巡检</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This registry has no users yet. An office user adds the first one with: nibi users add LOGIN --name NAME --role office</source>
        <translation>本登记库还没有用户。请管理员先用以下命令添加第一个用户：nibi users add 登录名 --name 姓名 --role office</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Start inspection</source>
        <translation>开始巡检</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select an asset in the table first.</source>
        <translation>请先在表格中选择一个设施。</translation>
    </message>
</context>
<context>
    <name>InspectionTexts</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/common.py" line="+29"/>
        <source>Normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Defects found</source>
        <translation>有缺陷</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not be reached</source>
        <translation>无法到达</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Once</source>
        <translation>一次性</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Weekly</source>
        <translation>每周</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Monthly</source>
        <translation>每月</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quarterly</source>
        <translation>每季度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Half-yearly</source>
        <translation>每半年</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yearly</source>
        <translation>每年</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Due today</source>
        <translation>今天到期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>This week</source>
        <translation>本周到期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Later in this period</source>
        <translation>本周期内稍后到期</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Active</source>
        <translation>执行中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finished</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} points</source>
        <translation>{0} 分</translation>
    </message>
</context>
<context>
    <name>InspectionWindow</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/inspection_window.py" line="+90"/>
        <source>Inspection: {0}</source>
        <translation>巡检：{0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inspection record: {0}</source>
        <translation>巡检记录：{0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close; the draft is kept and can be continued later</source>
        <translation>关闭；草稿会保留，之后可以继续</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submit (Ctrl+S)</source>
        <translation>提交（Ctrl+S）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Changes are saved as you go.</source>
        <translation>所有填写随时自动保存。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Draft saved at {0}</source>
        <translation>草稿已于 {0} 保存</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Remove photo</source>
        <translation>移除照片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove this photo from the inspection? The original stays in the photo store.</source>
        <translation>从本次巡检中移除这张照片？原图仍保留在照片库中。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Where I stood</source>
        <translation>我的位置</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>None of the photos has a GPS position.</source>
        <translation>所有照片都没有 GPS 位置。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Click the map where you stood to inspect {asset} (Esc cancels)</source>
        <translation>请在地图上点击巡检{asset}时您所在的位置（按 Esc 取消）</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Submitting…</source>
        <translation>正在提交…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{0} thing(s) to complete before submitting</source>
        <translation>提交前还有 {0} 项需要完成</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Inspection submitted</source>
        <translation>巡检已提交</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{asset}: {result}, score {score}.</source>
        <translation>{asset}：{result}，得分 {score}。</translation>
    </message>
</context>
<context>
    <name>InspectorPage</name>
    <message>
        <location filename="../../nibi_desk/gui/pref_pages.py" line="-88"/>
        <source>Inspector name:</source>
        <translation>巡检员姓名：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Organisation:</source>
        <translation>所属单位：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printed on inspection records and reports</source>
        <translation>将打印在巡检记录和报告上</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <location line="-36"/>
        <source>Interface language:</source>
        <translation>界面语言：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Theme:</source>
        <translation>主题：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
</context>
<context>
    <name>LedgerApplyPage</name>
    <message>
        <location filename="../../nibi_desk/gui/interop/import_pages.py" line="+271"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Importing the ledger</source>
        <translation>正在导入台账</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Imported {inserted} new and updated {updated} assets; {unchanged} unchanged, {refused} not imported.</source>
        <translation>已新增 {inserted} 个、更新 {updated} 个设施；{unchanged} 个无变化，{refused} 行未导入。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rows not imported, with reasons: {path}</source>
        <translation>未导入的行及原因：{path}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Nothing was imported.</source>
        <translation>未导入任何内容。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Stopped: nothing was imported.</source>
        <translation>已停止：未导入任何内容。</translation>
    </message>
</context>
<context>
    <name>LedgerFilePage</name>
    <message>
        <location filename="../../nibi_desk/gui/interop/import_wizard.py" line="+37"/>
        <source>Ledger file</source>
        <translation>台账文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An Excel workbook (.xlsx, .xls) or a CSV file in UTF-8 or GB18030; OpenCelliD cell exports are recognised.</source>
        <translation>Excel 工作簿（.xlsx、.xls）或 UTF-8、GB18030 编码的 CSV 文件；可识别 OpenCelliD 小区导出文件。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Choose a ledger</source>
        <translation>选择台账</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ledgers (*.xlsx *.xlsm *.xls *.csv *.txt *.tsv);;All files (*)</source>
        <translation>台账 (*.xlsx *.xlsm *.xls *.csv *.txt *.tsv);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose an existing .xlsx, .xls or .csv file.</source>
        <translation>请选择一个已有的 .xlsx、.xls 或 .csv 文件。</translation>
    </message>
</context>
<context>
    <name>LedgerMappingPage</name>
    <message>
        <location filename="../../nibi_desk/gui/interop/import_pages.py" line="-295"/>
        <source>Columns</source>
        <translation>列对应</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suggested from the headers; change any column&apos;s field, or leave it out.</source>
        <translation>已按表头给出建议；可修改任一列对应的字段，或不导入该列。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sample values</source>
        <translation>示例值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>FIELD=VALUE; … (the same value on every row)</source>
        <translation>字段=值; …（每行取同一值）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Same value for every row:</source>
        <translation>每行相同的值：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>village / community</source>
        <translation>村（社区）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>longitude and latitude</source>
        <translation>经纬度</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
</context>
<context>
    <name>LedgerPreviewPage</name>
    <message>
        <location line="+100"/>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing has been written yet. Rows with errors and possible duplicates are listed with their reasons.</source>
        <translation>尚未写入任何内容。有错误和疑似重复的行及其原因列在下面。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All or nothing: import only if no row has an error</source>
        <translation>全部或全不：只有所有行都无错误时才导入</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import the valid rows; write the others to an error workbook:</source>
        <translation>导入正确的行，其余行写入错误工作簿：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>new</source>
        <translation>新增</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>update</source>
        <translation>更新</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>unchanged</source>
        <translation>无变化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>possible duplicate</source>
        <translation>疑似重复</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Checking every row…</source>
        <translation>正在逐行校验…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Checking the ledger</source>
        <translation>正在校验台账</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The ledger cannot be imported as chosen; go back and change the choices.</source>
        <translation>按当前选择无法导入该台账，请返回修改。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{new} new, {update} to update, {unchanged} unchanged, {duplicate} possible duplicates, {error} with errors, {blank} blank rows</source>
        <translation>新增 {new}，待更新 {update}，无变化 {unchanged}，疑似重复 {duplicate}，有错误 {error}，空行 {blank}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Error workbook</source>
        <translation>错误工作簿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel workbook (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>LedgerSheetPage</name>
    <message>
        <location filename="../../nibi_desk/gui/interop/import_wizard.py" line="+17"/>
        <source>Sheet and header row</source>
        <translation>工作表和表头行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ledgers often have a title or merged group headers above the column headers: choose the row that names the columns. Data starts below it.</source>
        <translation>台账的列标题上方常有表名或合并的分组表头：请选择写有列名的那一行，数据从其下一行开始。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sheet:</source>
        <translation>工作表：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Header row:</source>
        <translation>表头行：</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reading the ledger</source>
        <translation>正在读取台账</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The file cannot be read.</source>
        <translation>无法读取该文件。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>OpenCelliD cell export</source>
        <translation>OpenCelliD 小区导出文件</translation>
    </message>
</context>
<context>
    <name>LedgerTypePage</name>
    <message>
        <location filename="../../nibi_desk/gui/interop/import_pages.py" line="-153"/>
        <source>Type and coordinates</source>
        <translation>类型和坐标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Which kind of asset the rows are, and the coordinate system of the file.</source>
        <translation>这些行是哪类设施，以及文件使用的坐标系。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every row is a</source>
        <translation>所有行都是</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The type is in the column</source>
        <translation>类型在此列中</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>WGS-84 / CGCS2000 (GPS, national maps)</source>
        <translation>WGS-84 / CGCS2000（GPS、天地图）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GCJ-02 (AMap, Tencent)</source>
        <translation>GCJ-02（高德、腾讯）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>BD-09 (Baidu)</source>
        <translation>BD-09（百度）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Import possible duplicates too (several devices on one pole)</source>
        <translation>疑似重复的行也导入（同一杆上的多个设备）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Coordinate system:</source>
        <translation>坐标系：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Possible duplicate within:</source>
        <translation>疑似重复的距离：</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../nibi_desk/gui/main_window.py" line="+174"/>
        <source>&amp;Registry</source>
        <translation>登记库(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Asset</source>
        <translation>设施(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Inspection</source>
        <translation>巡检(&amp;I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NIBI Desk — {county}</source>
        <translation>新基建巡检台 — {county}</translation>
    </message>
</context>
<context>
    <name>MapDock</name>
    <message>
        <location filename="../../nibi_desk/gui/map/map_dock.py" line="+97"/>
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Basemap:</source>
        <translation>底图：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open basemap…</source>
        <translation>打开底图…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a raster MBTiles file as a basemap of this registry</source>
        <translation>把栅格 MBTiles 文件添加为本台账的底图</translation>
    </message>
    <message>
        <location filename="../../nibi_desk/gui/map/map_tools.py" line="+18"/>
        <source>Pick location</source>
        <translation>拾取位置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click the map to pick a position (new asset, inspector&apos;s position)</source>
        <translation>在地图上点击拾取位置（新设施位置、巡检员所在位置）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Measure</source>
        <translation>量距</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click two points to measure the distance between them</source>
        <translation>依次点击两点，量测两点间距离</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assets within</source>
        <translation>周边设施</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click the map to list the assets within this distance</source>
        <translation>在地图上点击，列出此距离内的设施</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel (Esc)</source>
        <translation>取消（Esc）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop picking, measuring or listing and go back to browsing</source>
        <translation>停止拾取、量距或查询周边，回到浏览</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click the map to pick a position</source>
        <translation>请在地图上点击以拾取位置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Picking cancelled</source>
        <translation>已取消拾取</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No assets within {radius} of {lon}, {lat}</source>
        <translation>{lon}, {lat} 周边 {radius} 内没有设施</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 asset within {radius} of {lon}, {lat}: {nearest} ({distance})</source>
        <translation>{lon}, {lat} 周边 {radius} 内有 1 个设施：{nearest}（{distance}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} assets within {radius} of {lon}, {lat}; nearest: {nearest} ({distance})</source>
        <translation>{lon}, {lat} 周边 {radius} 内有 {n} 个设施；最近：{nearest}（{distance}）</translation>
    </message>
    <message>
        <location filename="../../nibi_desk/gui/map/map_dock.py" line="+2"/>
        <source>Go to:</source>
        <translation>定位到：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Coordinate system of the entered position (GCJ-02 and BD-09 are converted); positions are shown in WGS-84, which CGCS2000 equals for map purposes</source>
        <translation>输入坐标所用的坐标系（GCJ-02、BD-09 会自动转换）；地图上显示 WGS-84 坐标，就地图用途而言与 CGCS2000 相同</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Go</source>
        <translation>转到</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+121"/>
        <source>None (offline canvas)</source>
        <translation>无（离线画布）</translation>
    </message>
    <message>
        <location line="-100"/>
        <source>Basemap {name} unavailable: {reason}</source>
        <translation>底图“{name}”不可用：{reason}</translation>
    </message>
    <message>
        <location filename="../../nibi_desk/gui/map/map_tools.py" line="-4"/>
        <source>Picked {lon}, {lat} (WGS-84)</source>
        <translation>已拾取 {lon}, {lat}（WGS-84）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Distance: {distance}</source>
        <translation>距离：{distance}</translation>
    </message>
    <message>
        <location filename="../../nibi_desk/gui/map/map_dock.py" line="+94"/>
        <source>Cannot go to this position</source>
        <translation>无法定位到此位置</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Cannot show the basemap</source>
        <translation>无法显示底图</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Open basemap</source>
        <translation>打开底图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MBTiles basemaps (*.mbtiles);;All files (*)</source>
        <translation>MBTiles 底图 (*.mbtiles);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot use this file as a basemap</source>
        <translation>此文件不能用作底图</translation>
    </message>
</context>
<context>
    <name>MapPage</name>
    <message>
        <location filename="../../nibi_desk/gui/pref_pages.py" line="+143"/>
        <source>Default basemap:</source>
        <translation>默认底图：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>None (no background map)</source>
        <translation>无（不显示底图）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose a basemap</source>
        <translation>选择底图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MBTiles basemaps (*.mbtiles);;All files (*)</source>
        <translation>MBTiles 底图 (*.mbtiles);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The basemap file does not exist.</source>
        <translation>底图文件不存在。</translation>
    </message>
</context>
<context>
    <name>NewPlanDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/plan_dialog.py" line="+51"/>
        <source>ends on</source>
        <translation>结束于</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>— nobody yet —</source>
        <translation>— 暂不指定 —</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>All townships</source>
        <translation>全部乡镇</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The assets the registry browser shows now (its filters)</source>
        <translation>设施列表当前显示的设施（按其筛选条件）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only the selected assets ({0})</source>
        <translation>仅所选设施（{0} 个）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Create the tasks of this period and the next now</source>
        <translation>立即生成本周期和下一周期的任务</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cycle</source>
        <translation>周期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Starts</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inspector</source>
        <translation>巡检员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Asset types</source>
        <translation>设施类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Covers</source>
        <translation>覆盖</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>New inspection plan</source>
        <translation>新建巡检计划</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Choose asset types, a township, the browser&apos;s filters or assets.</source>
        <translation>请选择设施类型、乡镇、设施列表的筛选条件或具体设施。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{0} assets in service or faulty</source>
        <translation>{0} 个在用或故障设施</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Give the plan a name.</source>
        <translation>请填写计划名称。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose which assets the plan covers.</source>
        <translation>请选择计划覆盖的设施。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The plan ends before it starts.</source>
        <translation>计划的结束日期早于开始日期。</translation>
    </message>
</context>
<context>
    <name>NewRegistryDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/startup.py" line="+24"/>
        <source>New registry for a county</source>
        <translation>为县新建登记库</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>From a division CSV…</source>
        <translation>从行政区划 CSV 导入…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>County</source>
        <translation>县（市、区）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+28"/>
        <source>Registry file</source>
        <translation>登记库文件</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Division CSV</source>
        <translation>行政区划 CSV</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>NIBI registries (*.nibi)</source>
        <translation>NIBI 登记库 (*.nibi)</translation>
    </message>
</context>
<context>
    <name>NoticeDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/defect_dialogs.py" line="+130"/>
        <source>Issue a rectification notice</source>
        <translation>下发整改通知</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Notice number</source>
        <translation>通知编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Responsible unit</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enter the notice number.</source>
        <translation>请填写通知编号。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter the unit responsible for the rectification.</source>
        <translation>请填写负责整改的单位。</translation>
    </message>
</context>
<context>
    <name>PhotoImport</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/photo_import.py" line="+19"/>
        <source>Add photos</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JPEG photos (*.jpg *.jpeg *.JPG *.JPEG);;All files (*)</source>
        <translation>JPEG 照片 (*.jpg *.jpeg *.JPG *.JPEG);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add a folder of photos</source>
        <translation>添加照片文件夹</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Adding photos…</source>
        <translation>正在添加照片…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Adding {name} ({done} of {total})…</source>
        <translation>正在添加 {name}（第 {done}/{total} 张）…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Some photos were not added</source>
        <translation>部分照片未能添加</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} of {total} photos were not added:</source>
        <translation>{total} 张照片中有 {n} 张未能添加：</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Adding photos</source>
        <translation>添加照片</translation>
    </message>
</context>
<context>
    <name>PhotoPairs</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/defect_dialogs.py" line="+76"/>
        <source>Before</source>
        <translation>整改前</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>After</source>
        <translation>整改后</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No photos</source>
        <translation>没有照片</translation>
    </message>
</context>
<context>
    <name>PhotosPanel</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/photos_panel.py" line="+73"/>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No photos yet. Add them here, or with the Photos button of an item.</source>
        <translation>还没有照片。可在此添加，或使用检查项的“照片”按钮。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add photos from files (Ctrl+P)</source>
        <translation>从文件添加照片（Ctrl+P）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use its position</source>
        <translation>用其位置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where I stood = where this photo was taken (EXIF GPS)</source>
        <translation>以这张照片的拍摄位置（EXIF GPS）作为我的位置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>General</source>
        <translation>综合</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>time?</source>
        <translation>时间存疑</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>place?</source>
        <translation>位置存疑</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Taken: {0}</source>
        <translation>拍摄时间：{0}</translation>
    </message>
</context>
<context>
    <name>PlansView</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/plans_view.py" line="+94"/>
        <source>Inspection plans</source>
        <translation>巡检计划</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plan</source>
        <translation>计划</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cycle</source>
        <translation>周期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>From</source>
        <translation>开始</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>To</source>
        <translation>结束</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inspector</source>
        <translation>巡检员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Period</source>
        <translation>周期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Due</source>
        <translation>截止</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open</source>
        <translation>待完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New plan…</source>
        <translation>新建计划…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Generate tasks</source>
        <translation>生成任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create the missing tasks of the current and the next period</source>
        <translation>生成当前周期和下一周期尚缺的任务</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only office users plan inspections.</source>
        <translation>只有管理员可以制定巡检计划。</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Plan created with {0} tasks.</source>
        <translation>计划已创建，生成 {0} 个任务。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{0} new tasks ({1}).</source>
        <translation>新生成 {0} 个任务（{1}）。</translation>
    </message>
</context>
<context>
    <name>PositionPanel</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/position_panel.py" line="+64"/>
        <source>Where I stood</source>
        <translation>我的位置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>e.g. 111.6712 or 111°40′16″E</source>
        <translation>如 111.6712 或 111°40′16″E</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>e.g. 32.3856 or 32°23′08″N</source>
        <translation>如 32.3856 或 32°23′08″N</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set</source>
        <translation>确定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From a photo</source>
        <translation>取自照片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Take the position from the selected photo&apos;s GPS (EXIF)</source>
        <translation>采用所选照片的 GPS 位置（EXIF）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick on map</source>
        <translation>在地图上选取</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This window steps aside: click where you stood on the map (Esc cancels)</source>
        <translation>本窗口会暂时隐藏：请在地图上点击您所在的位置（按 Esc 取消）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the map to pick a position on it</source>
        <translation>请打开地图后在地图上选取位置</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>from a photo</source>
        <translation>取自照片</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>typed</source>
        <translation>手工输入</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>picked on the map</source>
        <translation>地图选取</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not set yet.</source>
        <translation>尚未设置。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{lon}, {lat} ({source})</source>
        <translation>{lon}, {lat}（{source}）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} m from the asset</source>
        <translation>距设施 {0} 米</translation>
    </message>
</context>
<context>
    <name>Preferences</name>
    <message>
        <location filename="../../nibi_desk/gui/pref_pages.py" line="-172"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Inspector</source>
        <translation>巡检员</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Units</source>
        <translation>单位</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Data directory</source>
        <translation>数据目录</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Reports</source>
        <translation>报告</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/preferences.py" line="+75"/>
        <source>{page}: {problem}</source>
        <translation>{page}：{problem}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
</context>
<context>
    <name>PrintCopies</name>
    <message>
        <location filename="../../nibi_desk/gui/print_copies.py" line="+54"/>
        <source>Preparing photos for printing</source>
        <translation>正在准备打印用照片</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Prepare photos for printing</source>
        <translation>准备打印用照片</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>All photos of the submitted inspections already have a print copy: printing is fast.</source>
        <translation>已提交巡检的照片都已有打印副本，打印会很快。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} photos have no print copy yet; making them takes about {minutes} minutes in the background (you can keep working, and cancel in the status bar). Start?</source>
        <translation>{count} 张照片还没有打印副本；在后台制作约需 {minutes} 分钟（期间可以继续工作，也可在状态栏中取消）。现在开始？</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Counting photos without a print copy</source>
        <translation>正在统计尚无打印副本的照片</translation>
    </message>
</context>
<context>
    <name>ProblemSummary</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/window_parts.py" line="+90"/>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Could not be reached</source>
        <translation>无法到达</translation>
    </message>
</context>
<context>
    <name>RaiseDefectDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/defect_dialogs.py" line="-159"/>
        <source>Raise a defect: {0}</source>
        <translation>登记缺陷：{0}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Severity</source>
        <translation>等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deadline</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{0} photo(s) of this item go with the defect as &quot;before&quot; photos</source>
        <translation>本项的 {0} 张照片将作为缺陷的“整改前”照片</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Describe the defect.</source>
        <translation>请描述缺陷。</translation>
    </message>
</context>
<context>
    <name>RectifyDialog</name>
    <message>
        <location line="+43"/>
        <source>Record the rectification</source>
        <translation>登记整改</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Add &quot;after&quot; photos…</source>
        <translation>添加“整改后”照片…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What was done</source>
        <translation>整改内容</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>After photos</source>
        <translation>整改后照片</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{0} already attached; new: {1}</source>
        <translation>已附 {0} 张；新增：{1}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A rectification needs at least one photo taken after it.</source>
        <translation>登记整改至少需要一张整改后拍摄的照片。</translation>
    </message>
</context>
<context>
    <name>RegistryBrowser</name>
    <message>
        <location filename="../../nibi_desk/gui/browser/browser.py" line="+175"/>
        <location line="+43"/>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>1 asset</source>
        <translation>1 个设施</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 assets</source>
        <translation>%1 个设施</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>The query took %1 ms</source>
        <translation>查询耗时 %1 毫秒</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+2"/>
        <source>Search failed</source>
        <translation>搜索失败</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The registry could not be searched.</source>
        <translation>无法搜索登记库。</translation>
    </message>
</context>
<context>
    <name>ReopenDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/defect_dialogs.py" line="+11"/>
        <source>Reopen the defect</source>
        <translation>退回重新整改</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Say why the defect is reopened.</source>
        <translation>请说明退回的原因。</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <location filename="../../nibi_desk/gui/reports/preview.py" line="+33"/>
        <source>{n} pages</source>
        <translation>共 {n} 页</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save As…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Save PDF</source>
        <translation>保存 PDF</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../nibi_desk/gui/reports/actions.py" line="+52"/>
        <location line="+170"/>
        <source>Generating {title}…</source>
        <translation>正在生成{title}…</translation>
    </message>
    <message>
        <location line="-169"/>
        <location line="+170"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="-146"/>
        <location line="+124"/>
        <source>The document cannot be made</source>
        <translation>无法生成文书</translation>
    </message>
    <message>
        <location line="-115"/>
        <source>Inspection report</source>
        <translation>巡检报告</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Rectification closure record</source>
        <translation>整改闭环记录</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rectification notice</source>
        <translation>整改通知单</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+5"/>
        <source>Period summary</source>
        <translation>期间汇总</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Period (2026, 2026-H2, 2026-Q3, 2026-05):</source>
        <translation>期间（2026、2026-H2、2026-Q3、2026-05）：</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+12"/>
        <source>Asset tags</source>
        <translation>设施标签</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Label sheet:</source>
        <translation>标签纸：</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+68"/>
        <location line="+8"/>
        <source>Batch of inspection reports</source>
        <translation>批量巡检报告</translation>
    </message>
    <message>
        <location line="-73"/>
        <source>Any plan</source>
        <translation>全部计划</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Any township</source>
        <translation>全部乡镇</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>One PDF with a bookmark per asset</source>
        <translation>合为一个 PDF，每个设施一个书签</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One PDF per inspection, in a folder</source>
        <translation>每次巡检一个 PDF，存入文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Plan</source>
        <translation>计划</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Township</source>
        <translation>乡镇（街道）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submitted from</source>
        <translation>提交日期自</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submitted to</source>
        <translation>提交日期至</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Folder for the reports</source>
        <translation>报告保存的文件夹</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reports written</source>
        <translation>报告已生成</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>{n} files in {folder}</source>
        <translation>{folder} 中共 {n} 个文件</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../nibi_desk/gui/pref_pages.py" line="+14"/>
        <source>Issuing unit:</source>
        <translation>出具单位：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Report header:</source>
        <translation>报告标题：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document number prefix:</source>
        <translation>文号前缀：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Starts the document number of every report</source>
        <translation>每份报告文号的开头部分</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The document number prefix cannot be empty.</source>
        <translation>文号前缀不能为空。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The document number prefix cannot contain spaces or any of \ / : * ? &quot; &lt; &gt; |.</source>
        <translation>文号前缀不能包含空格或 \ / : * ? &quot; &lt; &gt; | 中的任何字符。</translation>
    </message>
</context>
<context>
    <name>RestoreBundleDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/sync/restore_dialog.py" line="+26"/>
        <source>Restore a backup bundle</source>
        <translation>恢复备份包</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Backup bundle:</source>
        <translation>备份包：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New registry file:</source>
        <translation>新登记库文件：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Office user:</source>
        <translation>办公室用户：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Their new password:</source>
        <translation>其新密码：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeat the password:</source>
        <translation>再次输入密码：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A backup bundle restores into a new registry file; nothing existing is replaced. Passwords are not in backups: choose an office user and give them a new password.</source>
        <translation>备份包会恢复为一个新的登记库文件，不会替换任何现有文件。备份中不含密码：请选择一名办公室用户并为其设置新密码。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Backup bundle</source>
        <translation>备份包</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>NIBI bundles (*.nibx)</source>
        <translation>NIBI 数据包 (*.nibx)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>New registry file</source>
        <translation>新登记库文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NIBI registries (*.nibi)</source>
        <translation>NIBI 登记库 (*.nibi)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Checking the bundle…</source>
        <translation>正在检查数据包…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checking the bundle</source>
        <translation>检查数据包</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>County {county}, made {created} by {sender}.</source>
        <translation>区县 {county}，由 {sender} 于 {created} 制作。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>(the backup has no users)</source>
        <translation>（该备份没有用户）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose where the new registry goes.</source>
        <translation>请选择新登记库的保存位置。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Restoring the backup</source>
        <translation>正在恢复备份</translation>
    </message>
</context>
<context>
    <name>SearchBox</name>
    <message>
        <location filename="../../nibi_desk/gui/browser/search_box.py" line="+35"/>
        <source>Search name, code or address (%1)</source>
        <translation>搜索名称、编码或地址（%1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One or two characters search by substring; three or more use the full-text index</source>
        <translation>一到两个字符按子串搜索；三个及以上字符使用全文索引</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search assets</source>
        <translation>搜索设施</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../../nibi_desk/gui/settings.py" line="+102"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inspector name</source>
        <translation>巡检员姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inspector organisation</source>
        <translation>巡检员所属单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Coordinate format</source>
        <translation>坐标格式</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Distance unit</source>
        <translation>距离单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data directory</source>
        <translation>数据目录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default basemap</source>
        <translation>默认底图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issuing unit</source>
        <translation>出具单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Report header</source>
        <translation>报告标题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document number prefix</source>
        <translation>文号前缀</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last registry</source>
        <translation>上次打开的登记库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recent registries</source>
        <translation>最近打开的登记库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Proximity threshold (m)</source>
        <translation>邻近阈值（米）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Visible table columns</source>
        <translation>表格显示的列</translation>
    </message>
</context>
<context>
    <name>SignIn</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/sign_in.py" line="+99"/>
        <source>Continue the draft inspection of {asset} ({code}) from {time}?</source>
        <translation>继续 {time} 保存的 {asset}（{code}）巡检草稿吗？</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You have {n} drafts in all; each opens again when you start inspecting its asset.</source>
        <translation>您共有 {n} 份草稿；对相应设施开始巡检时会自动继续。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unfinished inspection</source>
        <translation>未完成的巡检</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location line="-55"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This registry keeps inspections under each user&apos;s name. Sign in to inspect, record defects or plan.</source>
        <translation>本登记库按用户记录巡检。请登录后进行巡检、登记缺陷或制定计划。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Login</source>
        <translation>登录名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enter your login and password.</source>
        <translation>请输入登录名和密码。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Signing in</source>
        <translation>正在登录</translation>
    </message>
</context>
<context>
    <name>SignaturePanel</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/signature.py" line="+162"/>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sign in the box with a finger, pen or mouse.</source>
        <translation>请用手指、触控笔或鼠标在框内签名。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Signed.</source>
        <translation>已签名。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Signed. Clear to sign again.</source>
        <translation>已签名。如需重签请先清除。</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../nibi_desk/gui/status.py" line="+24"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Registry: {file}  ·  {county} ({code})</source>
        <translation>登记库：{file}  ·  {county}（{code}）</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{total} assets</source>
        <translation>共 {total} 项设施</translation>
    </message>
</context>
<context>
    <name>TargetsDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/reports/targets_dialog.py" line="+42"/>
        <source>Targets and population</source>
        <translation>考核目标与人口</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Targets</source>
        <translation>考核目标</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+66"/>
        <source>Population</source>
        <translation>人口</translation>
    </message>
    <message>
        <location line="-59"/>
        <source>The period summary judges each KPI against the most specific target: township and period, township and year, county and period, county and year, else the default shown in brackets. Rates are typed as 80% or 0.8.</source>
        <translation>期间汇总按最具体的目标评价每项指标：乡镇+期间、乡镇+年度、区县+期间、区县+年度，否则使用方括号中的默认值。比率可输入为 80% 或 0.8。</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+40"/>
        <source>Division</source>
        <translation>行政区划</translation>
    </message>
    <message>
        <location line="-40"/>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KPI</source>
        <translation>指标</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Target</source>
        <translation>目标值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amber margin</source>
        <translation>黄色预警幅度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Set target</source>
        <translation>设置目标(&amp;S)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+37"/>
        <source>Division:</source>
        <translation>行政区划：</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>Period:</source>
        <translation>期间：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KPI:</source>
        <translation>指标：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Target:</source>
        <translation>目标值：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amber margin:</source>
        <translation>黄色预警幅度：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notes:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>e.g. the statistical yearbook</source>
        <translation>例如：统计年鉴</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set &amp;population</source>
        <translation>设置人口(&amp;P)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Year:</source>
        <translation>年份：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Population:</source>
        <translation>人口：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Target saved.</source>
        <translation>目标已保存。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Target removed; the next less specific one applies.</source>
        <translation>目标已删除；改用下一级较宽泛的目标。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Population saved.</source>
        <translation>人口已保存。</translation>
    </message>
</context>
<context>
    <name>TodayDock</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/today_dock.py" line="+55"/>
        <source>Today&apos;s tasks</source>
        <translation>今日任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Asset</source>
        <translation>设施</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Due</source>
        <translation>截止</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Plan</source>
        <translation>计划</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start inspection</source>
        <translation>开始巡检</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Sign in to see your tasks.</source>
        <translation>登录后可查看您的任务。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No open tasks for you. Well done.</source>
        <translation>您没有待办任务。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} open tasks, {1} overdue</source>
        <translation>待办 {0} 个，逾期 {1} 个</translation>
    </message>
</context>
<context>
    <name>UnitsPage</name>
    <message>
        <location filename="../../nibi_desk/gui/pref_pages.py" line="-128"/>
        <source>Coordinates:</source>
        <translation>坐标：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decimal degrees (114.305392°)</source>
        <translation>十进制度（114.305392°）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Degrees, minutes, seconds (114°18′19.4″)</source>
        <translation>度分秒（114°18′19.4″）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Distances:</source>
        <translation>距离：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Metres</source>
        <translation>米</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kilometres</source>
        <translation>千米</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Proximity threshold:</source>
        <translation>邻近阈值：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> m</source>
        <translation> 米</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Distance within which two positions count as close to each other</source>
        <translation>两个位置之间的距离小于此值时视为相互邻近</translation>
    </message>
</context>
<context>
    <name>UnreachableBox</name>
    <message>
        <location filename="../../nibi_desk/gui/inspection/window_parts.py" line="-49"/>
        <source>Access</source>
        <translation>到达情况</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The asset could not be reached</source>
        <translation>无法到达设施</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why (locked gate, road closed, …)</source>
        <translation>原因（大门上锁、道路封闭等）</translation>
    </message>
</context>
</TS>
