<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name />
    <message>
        <source>Edit asset</source>
        <translation type="vanished">编辑设施</translation>
    </message>
    <message>
        <source>Select an asset in the table first.</source>
        <translation type="vanished">请先在表格中选择一个设施。</translation>
    </message>
    <message>
        <source>Delete asset</source>
        <translation type="vanished">删除设施</translation>
    </message>
    <message>
        <source>Delete {name} ({code})? It stays in the history and the deletion travels to other registries.</source>
        <translation type="vanished">删除 {name}（{code}）？它仍保留在历史记录中，删除操作也会同步到其他登记库。</translation>
    </message>
    <message>
        <source>Could not complete the action</source>
        <translation type="vanished">无法完成操作</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation type="vanished">意外错误</translation>
    </message>
    <message>
        <source>Start inspection</source>
        <translation type="vanished">开始巡检</translation>
    </message>
    <message>
        <source>Field inspection (checklists, photos, defects) is not available in this version yet.</source>
        <translation type="vanished">现场巡检（检查表、照片、缺陷）在本版本中尚不可用。</translation>
    </message>
    <message>
        <source>About NIBI Desk</source>
        <translation type="vanished">关于新基建巡检台</translation>
    </message>
    <message>
        <source>NIBI Desk (新基建巡检台) {version}
PySide6 {qt}, SQLite {sqlite}
Bundled font: WenQuanYi Micro Hei (Apache-2.0 or GPLv3 with font exception)</source>
        <translation type="vanished">新基建巡检台（NIBI Desk）{version}
PySide6 {qt}，SQLite {sqlite}
内置字体：文泉驿微米黑（Apache-2.0 或附字体例外条款的 GPLv3）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="vanished">取消</translation>
    </message>
    <message>
        <source>Registry: {file}  ·  {county} ({code})</source>
        <translation type="vanished">登记库：{file}  ·  {county}（{code}）</translation>
    </message>
    <message>
        <source>{total} assets</source>
        <translation type="vanished">{total} 个设施</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <location filename="../../nibi_desk/gui/actions.py" line="+27" />
        <source>&amp;Open registry…</source>
        <translation>打开登记库(&amp;O)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open a registry file</source>
        <translation>打开登记库文件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;New registry for a county…</source>
        <translation>新建区县登记库(&amp;N)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Create an empty registry for a county</source>
        <translation>为一个区县新建空登记库</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open the &amp;demo county (老河口市)</source>
        <translation>打开示例区县（老河口市）(&amp;D)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Import ledger (Excel/CSV)…</source>
        <translation>导入台账（Excel/CSV）(&amp;I)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Import assets from a county ledger</source>
        <translation>从区县台账导入设施</translation>
    </message>
    <message>
        <location line="+1" />
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Export assets to CSV, Excel, GeoJSON, KML or GeoPackage</source>
        <translation>将设施导出为 CSV、Excel、GeoJSON、KML 或 GeoPackage</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Language, inspector, units, reports</source>
        <translation>语言、巡检员、单位、报表</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;New asset…</source>
        <translation>新建设施(&amp;N)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Add an asset to the registry</source>
        <translation>向登记库添加设施</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Edit asset…</source>
        <translation>编辑设施(&amp;E)…</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Edit the selected asset</source>
        <translation>编辑选中的设施</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Delete asset</source>
        <translation>删除设施(&amp;D)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Delete the selected asset (kept as a tombstone)</source>
        <translation>删除选中的设施（保留删除标记）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Search by name, code or address</source>
        <translation>按名称、编码或地址搜索</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Ne&amp;xt asset</source>
        <translation>下一个设施(&amp;X)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Pre&amp;vious asset</source>
        <translation>上一个设施(&amp;V)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Start &amp;inspection</source>
        <translation>开始巡检(&amp;I)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Inspect the selected asset (arrives with field inspection)</source>
        <translation>巡检选中的设施（随现场巡检功能提供）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Asset &amp;details</source>
        <translation>设施详情(&amp;D)</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Show or hide the detail panel</source>
        <translation>显示或隐藏详情面板</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Dark theme</source>
        <translation>深色主题(&amp;D)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;About NIBI Desk</source>
        <translation>关于新基建巡检台(&amp;A)</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../nibi_desk/gui/app.py" line="+41" />
        <source>Cannot open the registry</source>
        <translation>无法打开登记库</translation>
    </message>
    <message>
        <location line="+30" />
        <source>Open registry</source>
        <translation>打开登记库</translation>
    </message>
    <message>
        <location line="+1" />
        <source>NIBI registries (*.nibi);;All files (*)</source>
        <translation>NIBI 登记库 (*.nibi);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+32" />
        <source>Creating the demo county 老河口市…</source>
        <translation>正在创建演示县 老河口市…</translation>
    </message>
</context>
<context>
    <name>AssetColumns</name>
    <message>
        <location filename="../../nibi_desk/gui/browser/columns.py" line="+28" />
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Operator</source>
        <translation>运营商</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Owner</source>
        <translation>产权单位</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <location line="+1" />
        <source>BeiDou grid code</source>
        <translation>北斗网格码</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
</context>
<context>
    <name>AssetEditor</name>
    <message>
        <location filename="../../nibi_desk/gui/asset_editor.py" line="+220" />
        <source>New asset</source>
        <translation>新建设施</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Edit asset — {0}</source>
        <translation>编辑设施 — {0}</translation>
    </message>
    <message>
        <location line="+24" />
        <source>— township —</source>
        <translation>— 乡镇 —</translation>
    </message>
    <message>
        <location line="+30" />
        <source>— whole township —</source>
        <translation>— 整个乡镇 —</translation>
    </message>
    <message>
        <location line="+72" />
        <source>Already mounted; moving a device to another pole is not possible here yet</source>
        <translation>已挂载；暂不支持在此将设备移到其他杆塔</translation>
    </message>
    <message>
        <location line="+18" />
        <source>This type is not mounted on a pole</source>
        <translation>此类型不挂载在杆塔上</translation>
    </message>
    <message>
        <location line="+39" />
        <source>This type has no attributes</source>
        <translation>此类型没有属性</translation>
    </message>
    <message>
        <location line="+35" />
        <source>No pole or tower “{0}” in this registry: pick one from the list</source>
        <translation>本登记库中没有杆塔“{0}”：请从列表中选择</translation>
    </message>
    <message>
        <location line="+21" />
        <source>Note: {0}</source>
        <translation>提示：{0}</translation>
    </message>
    <message>
        <location line="+64" />
        <source>Saving asset</source>
        <translation>正在保存设施</translation>
    </message>
    <message>
        <location line="+12" />
        <source>The asset was saved but not mounted</source>
        <translation>设施已保存，但未能挂载</translation>
    </message>
    <message>
        <location line="+16" />
        <source>The asset was not saved</source>
        <translation>设施未保存</translation>
    </message>
</context>
<context>
    <name>AssetEditorForm</name>
    <message>
        <location filename="../../ui/asset_editor.ui" line="+16" />
        <location line="+25" />
        <source>Asset</source>
        <translation>设施</translation>
    </message>
    <message>
        <location line="+12" />
        <source>&amp;Type</source>
        <translation>类型(&amp;T)</translation>
    </message>
    <message>
        <location line="+23" />
        <source>&amp;Name</source>
        <translation>名称(&amp;N)</translation>
    </message>
    <message>
        <location line="+27" />
        <source>&amp;Code</source>
        <translation>编码(&amp;C)</translation>
    </message>
    <message>
        <location line="+33" />
        <source>&amp;Status</source>
        <translation>状态(&amp;S)</translation>
    </message>
    <message>
        <location line="+23" />
        <source>&amp;Division</source>
        <translation>行政区划(&amp;D)</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Township, town or sub-district</source>
        <translation>乡、镇或街道</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Village or community (optional)</source>
        <translation>村或社区（可选）</translation>
    </message>
    <message>
        <location line="+19" />
        <source>&amp;Address</source>
        <translation>地址(&amp;A)</translation>
    </message>
    <message>
        <location line="+27" />
        <source>&amp;Owner</source>
        <translation>产权单位(&amp;O)</translation>
    </message>
    <message>
        <location line="+27" />
        <source>O&amp;perator</source>
        <translation>运营商(&amp;P)</translation>
    </message>
    <message>
        <location line="+30" />
        <source>&amp;Mounted on</source>
        <translation>挂载于(&amp;M)</translation>
    </message>
    <message>
        <location line="+10" />
        <source>code or name of the pole or tower (optional)</source>
        <translation>杆塔的编码或名称（可选）</translation>
    </message>
    <message>
        <location line="+20" />
        <source>No&amp;tes</source>
        <translation>备注(&amp;T)</translation>
    </message>
    <message>
        <location line="+65" />
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Coordinate s&amp;ystem</source>
        <translation>坐标系(&amp;Y)</translation>
    </message>
    <message>
        <location line="+10" />
        <source>The system the coordinates were read in. Map apps (Amap, Tencent) use GCJ-02, Baidu uses BD-09; the registry stores WGS-84.</source>
        <translation>读取坐标时所用的坐标系。高德、腾讯地图使用 GCJ-02，百度地图使用 BD-09；登记库以 WGS-84 存储。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>WGS-84 / CGCS2000 (GPS, BeiDou)</source>
        <translation>WGS-84 / CGCS2000（GPS、北斗）</translation>
    </message>
    <message>
        <location line="+5" />
        <source>GCJ-02 (Amap, Tencent)</source>
        <translation>GCJ-02（高德、腾讯）</translation>
    </message>
    <message>
        <location line="+5" />
        <source>BD-09 (Baidu)</source>
        <translation>BD-09（百度）</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Lo&amp;ngitude</source>
        <translation>经度(&amp;N)</translation>
    </message>
    <message>
        <location line="+10" />
        <source>e.g. 111.675 or 111°40′30″E</source>
        <translation>例如 111.675 或 111°40′30″E</translation>
    </message>
    <message>
        <location line="+17" />
        <source>&amp;Latitude</source>
        <translation>纬度(&amp;L)</translation>
    </message>
    <message>
        <location line="+10" />
        <source>e.g. 32.39 or 32°23′24″N</source>
        <translation>例如 32.39 或 32°23′24″N</translation>
    </message>
    <message>
        <location line="+17" />
        <source>WGS-84 (stored)</source>
        <translation>WGS-84（存储值）</translation>
    </message>
    <message>
        <location line="+17" />
        <source>BeiDou grid code</source>
        <translation>北斗网格码</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Altitu&amp;de</source>
        <translation>海拔(&amp;D)</translation>
    </message>
    <message>
        <location line="+15" />
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <location line="+7" />
        <source>m</source>
        <translation>米</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
</context>
<context>
    <name>AssetTableModel</name>
    <message>
        <source>Searching the registry</source>
        <translation type="vanished">正在搜索登记库</translation>
    </message>
</context>
<context>
    <name>AssetTexts</name>
    <message>
        <location filename="../../nibi_desk/gui/detail_sections.py" line="+154" />
        <source>Planned</source>
        <translation>规划</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Under construction</source>
        <translation>在建</translation>
    </message>
    <message>
        <location line="+1" />
        <source>In service</source>
        <translation>在用</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Faulty</source>
        <translation>故障</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Decommissioned</source>
        <translation>已退役</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Division</source>
        <translation>行政区划</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Altitude</source>
        <translation>海拔</translation>
    </message>
    <message>
        <location line="+0" />
        <source>BeiDou grid code</source>
        <translation>北斗网格码</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Owner</source>
        <translation>产权单位</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Operator</source>
        <translation>运营商</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <location line="+4" />
        <source>created</source>
        <translation>创建</translation>
    </message>
    <message>
        <location line="+0" />
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <location line="+0" />
        <source>deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+1" />
        <source>restored</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location line="+4" />
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0" />
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+3" />
        <source>, </source>
        <translation>，</translation>
    </message>
</context>
<context>
    <name>AttributeField</name>
    <message>
        <location filename="../../nibi_desk/gui/asset_editor.py" line="-446" />
        <source>Click to cycle: yes, not set, no</source>
        <translation>单击切换：是、未设置、否</translation>
    </message>
    <message>
        <location line="+9" />
        <source>set</source>
        <translation>已设置</translation>
    </message>
    <message>
        <location line="+13" />
        <source>— not set —</source>
        <translation>— 未设置 —</translation>
    </message>
    <message>
        <location line="+19" />
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+1" />
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+0" />
        <source>not set</source>
        <translation>未设置</translation>
    </message>
</context>
<context>
    <name>ColumnChooser</name>
    <message>
        <location filename="../../nibi_desk/gui/browser/column_chooser.py" line="+82" />
        <source>Columns</source>
        <translation>列</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Restore default columns</source>
        <translation>恢复默认列</translation>
    </message>
</context>
<context>
    <name>Controllers</name>
    <message>
        <location filename="../../nibi_desk/gui/controllers.py" line="+20" />
        <source>Edit asset</source>
        <translation>编辑设施</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Select an asset in the table first.</source>
        <translation>请先在表格中选择一个设施。</translation>
    </message>
    <message>
        <location line="+27" />
        <source>Delete asset</source>
        <translation>删除设施</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Delete {name} ({code})? It stays in the history and the deletion travels to other registries.</source>
        <translation>删除 {name}（{code}）？该设施仍保留在历史记录中，删除操作会同步到其他登记库。</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Start inspection</source>
        <translation>开始巡检</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Field inspection (checklists, photos, defects) is not available in this version yet.</source>
        <translation>本版本尚未提供现场巡检（检查表、照片、缺陷）功能。</translation>
    </message>
    <message>
        <location line="+11" />
        <source>About NIBI Desk</source>
        <translation>关于新基建巡检台</translation>
    </message>
    <message>
        <location line="+1" />
        <source>NIBI Desk (新基建巡检台) {version}
PySide6 {qt}, SQLite {sqlite}
Bundled font: WenQuanYi Micro Hei (Apache-2.0 or GPLv3 with font exception)</source>
        <translation>新基建巡检台 NIBI Desk {version}
PySide6 {qt}，SQLite {sqlite}
内置字体：文泉驿微米黑（Apache-2.0 或附字体例外条款的 GPLv3）</translation>
    </message>
</context>
<context>
    <name>DataDirPage</name>
    <message>
        <location filename="../../nibi_desk/gui/pref_pages.py" line="+201" />
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Registries, photos, caches and logs are kept here. A new folder takes effect after a restart.</source>
        <translation>登记库、照片、缓存和日志都保存在此处。更换文件夹后需重新启动才能生效。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Choose the data directory</source>
        <translation>选择数据目录</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Choose a data directory.</source>
        <translation>请选择数据目录。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The data directory must be a full path.</source>
        <translation>数据目录必须是完整路径。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The data directory is a file, not a folder.</source>
        <translation>数据目录是一个文件，而不是文件夹。</translation>
    </message>
</context>
<context>
    <name>DetailDock</name>
    <message>
        <location filename="../../nibi_desk/gui/detail_dock.py" line="+23" />
        <location line="+111" />
        <source>Asset details</source>
        <translation>设施详情</translation>
    </message>
    <message>
        <location line="-97" />
        <location line="+16" />
        <source>Select an asset to see its details</source>
        <translation>选择一个设施以查看详情</translation>
    </message>
    <message>
        <source>Loading details</source>
        <translation type="vanished">正在加载详情</translation>
    </message>
    <message>
        <location line="+55" />
        <source>This asset no longer exists</source>
        <translation>该设施已不存在</translation>
    </message>
    <message>
        <location line="+2" />
        <location line="+2" />
        <source>Cannot show this asset: {0}</source>
        <translation>无法显示该设施：{0}</translation>
    </message>
</context>
<context>
    <name>DetailSections</name>
    <message>
        <location filename="../../nibi_desk/gui/detail_sections.py" line="+41" />
        <source>Deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <location line="-6" />
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Location and ownership</source>
        <translation>位置与权属</translation>
    </message>
    <message>
        <location line="+7" />
        <location line="+2" />
        <source>Position (WGS-84)</source>
        <translation>位置（WGS-84）</translation>
    </message>
    <message>
        <location line="+0" />
        <source>not located yet</source>
        <translation>尚未定位</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{0} m</source>
        <translation>{0} 米</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Unknown asset type {0}</source>
        <translation>未知的设施类型 {0}</translation>
    </message>
    <message>
        <location line="+8" />
        <source>BeiDou grid code</source>
        <translation>北斗网格码</translation>
    </message>
    <message>
        <location line="+3" />
        <source>No grid code: the asset has no position yet</source>
        <translation>无网格码：该设施尚无位置</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Level 10</source>
        <translation>第 10 级</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cell</source>
        <translation>网格</translation>
    </message>
    <message>
        <location line="+0" />
        <source>{0} × {1} (about {2} × {3})</source>
        <translation>{0} × {1}（约 {2} × {3}）</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Level 7</source>
        <translation>第 7 级</translation>
    </message>
    <message>
        <location line="+0" />
        <source>{0} ({1} × {2}, about {3} × {4})</source>
        <translation>{0}（{1} × {2}，约 {3} × {4}）</translation>
    </message>
    <message>
        <location line="+8" />
        <source>GB/T 28181 decoding</source>
        <translation>GB/T 28181 编码解析</translation>
    </message>
    <message>
        <location line="+3" />
        <source>No GB/T 28181 ID recorded</source>
        <translation>未登记 GB/T 28181 编码</translation>
    </message>
    <message>
        <location line="+21" />
        <source>Mounts</source>
        <translation>挂载</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Carries</source>
        <translation>承载</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Mounted on</source>
        <translation>挂载于</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Not mounted and carries nothing</source>
        <translation>未挂载，也未承载任何设备</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Show this asset</source>
        <translation>显示该设施</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <location line="+15" />
        <source>No photos yet</source>
        <translation>暂无照片</translation>
    </message>
    <message>
        <location line="+10" />
        <source>cannot read
{0}</source>
        <translation>无法读取
{0}</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Inspections</source>
        <translation>巡检</translation>
    </message>
    <message>
        <location line="+1" />
        <source>No inspections yet</source>
        <translation>暂无巡检记录</translation>
    </message>
    <message>
        <location line="+4" />
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location line="+2" />
        <source>No history recorded</source>
        <translation>暂无历史记录</translation>
    </message>
    <message>
        <location line="+7" />
        <source>unknown user</source>
        <translation>未知用户</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{0} · {1} · {2}</source>
        <translation>{0} · {1} · {2}</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../nibi_desk/gui/interaction.py" line="+24" />
        <source>Invalid record</source>
        <translation>记录无效</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Invalid value</source>
        <translation>无效的值</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Import failed</source>
        <translation>导入失败</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Registry error</source>
        <translation>登记库错误</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Resource missing</source>
        <translation>缺少资源</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+135" />
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <location line="+20" />
        <source>An unexpected error occurred:</source>
        <translation>发生了意外错误：</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/interop/export_dialog.py" line="+25" />
        <source>Export assets</source>
        <translation>导出设施</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Excel workbook (.xlsx), one sheet per type</source>
        <translation>Excel 工作簿（.xlsx），每类设施一个工作表</translation>
    </message>
    <message>
        <location line="+1" />
        <source>CSV (.csv, UTF-8 for Excel)</source>
        <translation>CSV（.csv，Excel 可直接打开的 UTF-8）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>GeoJSON (.geojson)</source>
        <translation>GeoJSON（.geojson）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>KML for desktop globes (.kml)</source>
        <translation>KML，用于三维地球软件（.kml）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>GeoPackage for QGIS (.gpkg)</source>
        <translation>GeoPackage，用于 QGIS（.gpkg）</translation>
    </message>
    <message>
        <location line="+4" />
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location line="+7" />
        <source>All townships</source>
        <translation>全部乡镇（街道）</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Only the current map view</source>
        <translation>仅当前地图视图</translation>
    </message>
    <message>
        <location line="+6" />
        <source>EPSG:4326 (WGS 84)</source>
        <translation>EPSG:4326（WGS 84）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>EPSG:4490 (CGCS2000)</source>
        <translation>EPSG:4490（CGCS2000）</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Township:</source>
        <translation>乡镇（街道）：</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Spatial reference:</source>
        <translation>空间参考：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location line="+19" />
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Exporting assets</source>
        <translation>正在导出设施</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Exported {count} assets to {path}</source>
        <translation>已导出 {count} 个设施到 {path}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{n} assets without a location are not in the file.</source>
        <translation>{n} 个没有位置的设施未写入文件。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Nothing was exported.</source>
        <translation>未导出任何内容。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Stopped: no file was written.</source>
        <translation>已停止：未写入文件。</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../../nibi_desk/gui/browser/filter_bar.py" line="+79" />
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Asset type</source>
        <translation>设施类型</translation>
    </message>
    <message>
        <location line="+1" />
        <source>All townships</source>
        <translation>全部乡镇</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <location line="+1" />
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1" />
        <source>All operators</source>
        <translation>全部运营商</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Operator</source>
        <translation>运营商</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Inspection due/overdue</source>
        <translation>巡检到期/逾期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open defects</source>
        <translation>未关闭缺陷</translation>
    </message>
    <message>
        <location line="+61" />
        <source>Available once inspections arrive in this registry</source>
        <translation>登记库中有巡检记录后可用</translation>
    </message>
    <message>
        <source>Loading operators</source>
        <translation type="vanished">正在加载运营商</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/startup.py" line="+19" />
        <source>Welcome to NIBI Desk</source>
        <translation>欢迎使用新基建巡检台</translation>
    </message>
    <message>
        <location line="+3" />
        <source>NIBI Desk keeps a county's registry of 5G base stations, smart poles and cameras, and works without a network. Where would you like to start?</source>
        <translation>新基建巡检台用于管理一个县的 5G 基站、多功能智能杆和视频监控登记库，无需联网即可使用。您想从哪里开始？</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Open the demo county (老河口市)</source>
        <translation>打开演示县（老河口市）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>About 22,000 generated assets to explore every screen</source>
        <translation>约 22,000 个生成的设施，可用于体验各个界面</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Create a registry for a county…</source>
        <translation>为一个县创建登记库…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Start an empty registry from the division table</source>
        <translation>根据行政区划表新建空登记库</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open a registry file…</source>
        <translation>打开登记库文件…</translation>
    </message>
    <message>
        <location line="+0" />
        <source>A .nibi file from this computer or a USB stick</source>
        <translation>本机或 U 盘中的 .nibi 文件</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../nibi_desk/gui/interop/import_wizard.py" line="+31" />
        <source>Import a ledger</source>
        <translation>导入台账</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Import</source>
        <translation>导入</translation>
    </message>
</context>
<context>
    <name>InspectorPage</name>
    <message>
        <location filename="../../nibi_desk/gui/pref_pages.py" line="-88" />
        <source>Inspector name:</source>
        <translation>巡检员姓名：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Organisation:</source>
        <translation>所属单位：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Printed on inspection records and reports</source>
        <translation>将打印在巡检记录和报告上</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <location line="-36" />
        <source>Interface language:</source>
        <translation>界面语言：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Theme:</source>
        <translation>主题：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Dark</source>
        <translation>深色</translation>
    </message>
</context>
<context>
    <name>LedgerApplyPage</name>
    <message>
        <location filename="../../nibi_desk/gui/interop/import_pages.py" line="+271" />
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Importing the ledger</source>
        <translation>正在导入台账</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Imported {inserted} new and updated {updated} assets; {unchanged} unchanged, {refused} not imported.</source>
        <translation>已新增 {inserted} 个、更新 {updated} 个设施；{unchanged} 个无变化，{refused} 行未导入。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Rows not imported, with reasons: {path}</source>
        <translation>未导入的行及原因：{path}</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Nothing was imported.</source>
        <translation>未导入任何内容。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Stopped: nothing was imported.</source>
        <translation>已停止：未导入任何内容。</translation>
    </message>
</context>
<context>
    <name>LedgerFilePage</name>
    <message>
        <location filename="../../nibi_desk/gui/interop/import_wizard.py" line="+37" />
        <source>Ledger file</source>
        <translation>台账文件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>An Excel workbook (.xlsx, .xls) or a CSV file in UTF-8 or GB18030; OpenCelliD cell exports are recognised.</source>
        <translation>Excel 工作簿（.xlsx、.xls）或 UTF-8、GB18030 编码的 CSV 文件；可识别 OpenCelliD 小区导出文件。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Choose a ledger</source>
        <translation>选择台账</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Ledgers (*.xlsx *.xlsm *.xls *.csv *.txt *.tsv);;All files (*)</source>
        <translation>台账 (*.xlsx *.xlsm *.xls *.csv *.txt *.tsv);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Choose an existing .xlsx, .xls or .csv file.</source>
        <translation>请选择一个已有的 .xlsx、.xls 或 .csv 文件。</translation>
    </message>
</context>
<context>
    <name>LedgerMappingPage</name>
    <message>
        <location filename="../../nibi_desk/gui/interop/import_pages.py" line="-295" />
        <source>Columns</source>
        <translation>列对应</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Suggested from the headers; change any column's field, or leave it out.</source>
        <translation>已按表头给出建议；可修改任一列对应的字段，或不导入该列。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Sample values</source>
        <translation>示例值</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location line="+4" />
        <source>FIELD=VALUE; … (the same value on every row)</source>
        <translation>字段=值; …（每行取同一值）</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Same value for every row:</source>
        <translation>每行相同的值：</translation>
    </message>
    <message>
        <location line="+7" />
        <source>village / community</source>
        <translation>村（社区）</translation>
    </message>
    <message>
        <location line="+0" />
        <source>longitude and latitude</source>
        <translation>经纬度</translation>
    </message>
    <message>
        <location line="+20" />
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
</context>
<context>
    <name>LedgerPreviewPage</name>
    <message>
        <location line="+100" />
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Nothing has been written yet. Rows with errors and possible duplicates are listed with their reasons.</source>
        <translation>尚未写入任何内容。有错误和疑似重复的行及其原因列在下面。</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+3" />
        <source>All or nothing: import only if no row has an error</source>
        <translation>全部或全不：只有所有行都无错误时才导入</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Import the valid rows; write the others to an error workbook:</source>
        <translation>导入正确的行，其余行写入错误工作簿：</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+17" />
        <source>new</source>
        <translation>新增</translation>
    </message>
    <message>
        <location line="+0" />
        <source>update</source>
        <translation>更新</translation>
    </message>
    <message>
        <location line="+0" />
        <source>unchanged</source>
        <translation>无变化</translation>
    </message>
    <message>
        <location line="+1" />
        <source>possible duplicate</source>
        <translation>疑似重复</translation>
    </message>
    <message>
        <location line="+0" />
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Checking every row…</source>
        <translation>正在逐行校验…</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Checking the ledger</source>
        <translation>正在校验台账</translation>
    </message>
    <message>
        <location line="+9" />
        <source>The ledger cannot be imported as chosen; go back and change the choices.</source>
        <translation>按当前选择无法导入该台账，请返回修改。</translation>
    </message>
    <message>
        <location line="+8" />
        <source>{new} new, {update} to update, {unchanged} unchanged, {duplicate} possible duplicates, {error} with errors, {blank} blank rows</source>
        <translation>新增 {new}，待更新 {update}，无变化 {unchanged}，疑似重复 {duplicate}，有错误 {error}，空行 {blank}</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Error workbook</source>
        <translation>错误工作簿</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Excel workbook (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>LedgerSheetPage</name>
    <message>
        <location filename="../../nibi_desk/gui/interop/import_wizard.py" line="+17" />
        <source>Sheet and header row</source>
        <translation>工作表和表头行</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Ledgers often have a title or merged group headers above the column headers: choose the row that names the columns. Data starts below it.</source>
        <translation>台账的列标题上方常有表名或合并的分组表头：请选择写有列名的那一行，数据从其下一行开始。</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Sheet:</source>
        <translation>工作表：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Header row:</source>
        <translation>表头行：</translation>
    </message>
    <message>
        <location line="+23" />
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Reading the ledger</source>
        <translation>正在读取台账</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The file cannot be read.</source>
        <translation>无法读取该文件。</translation>
    </message>
    <message>
        <location line="+21" />
        <source>OpenCelliD cell export</source>
        <translation>OpenCelliD 小区导出文件</translation>
    </message>
</context>
<context>
    <name>LedgerTypePage</name>
    <message>
        <location filename="../../nibi_desk/gui/interop/import_pages.py" line="-153" />
        <source>Type and coordinates</source>
        <translation>类型和坐标</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Which kind of asset the rows are, and the coordinate system of the file.</source>
        <translation>这些行是哪类设施，以及文件使用的坐标系。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Every row is a</source>
        <translation>所有行都是</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The type is in the column</source>
        <translation>类型在此列中</translation>
    </message>
    <message>
        <location line="+12" />
        <source>WGS-84 / CGCS2000 (GPS, national maps)</source>
        <translation>WGS-84 / CGCS2000（GPS、天地图）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>GCJ-02 (AMap, Tencent)</source>
        <translation>GCJ-02（高德、腾讯）</translation>
    </message>
    <message>
        <location line="+0" />
        <source>BD-09 (Baidu)</source>
        <translation>BD-09（百度）</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Import possible duplicates too (several devices on one pole)</source>
        <translation>疑似重复的行也导入（同一杆上的多个设备）</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Coordinate system:</source>
        <translation>坐标系：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Possible duplicate within:</source>
        <translation>疑似重复的距离：</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../nibi_desk/gui/main_window.py" line="+107" />
        <source>&amp;Registry</source>
        <translation>登记库(&amp;R)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Asset</source>
        <translation>设施(&amp;A)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location line="+1" />
        <source>NIBI Desk — {county}</source>
        <translation>新基建巡检台 — {county}</translation>
    </message>
</context>
<context>
    <name>MapDock</name>
    <message>
        <location filename="../../nibi_desk/gui/map/map_dock.py" line="+185" />
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Basemap:</source>
        <translation>底图：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open basemap…</source>
        <translation>打开底图…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Add a raster MBTiles file as a basemap of this registry</source>
        <translation>把栅格 MBTiles 文件添加为本台账的底图</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Pick location</source>
        <translation>拾取位置</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Click the map to pick a position (new asset, inspector's position)</source>
        <translation>在地图上点击拾取位置（新设施位置、巡检员所在位置）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Measure</source>
        <translation>量距</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Click two points to measure the distance between them</source>
        <translation>依次点击两点，量测两点间距离</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Assets within</source>
        <translation>周边设施</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Click the map to list the assets within this distance</source>
        <translation>在地图上点击，列出此距离内的设施</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Go to:</source>
        <translation>定位到：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Coordinate system of the entered position (GCJ-02 and BD-09 are converted); positions are shown in WGS-84, which CGCS2000 equals for map purposes</source>
        <translation>输入坐标所用的坐标系（GCJ-02、BD-09 会自动转换）；地图上显示 WGS-84 坐标，就地图用途而言与 CGCS2000 相同</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Go</source>
        <translation>转到</translation>
    </message>
    <message>
        <location line="+2" />
        <location line="+119" />
        <source>None (offline canvas)</source>
        <translation>无（离线画布）</translation>
    </message>
    <message>
        <location line="-32" />
        <source>Picked {lon}, {lat} (WGS-84)</source>
        <translation>已拾取 {lon}, {lat}（WGS-84）</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Distance: {distance}</source>
        <translation>距离：{distance}</translation>
    </message>
    <message>
        <location line="+19" />
        <source>Cannot go to this position</source>
        <translation>无法定位到此位置</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Cannot show the basemap</source>
        <translation>无法显示底图</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Open basemap</source>
        <translation>打开底图</translation>
    </message>
    <message>
        <location line="+1" />
        <source>MBTiles basemaps (*.mbtiles);;All files (*)</source>
        <translation>MBTiles 底图 (*.mbtiles);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Cannot use this file as a basemap</source>
        <translation>此文件不能用作底图</translation>
    </message>
</context>
<context>
    <name>MapPage</name>
    <message>
        <location filename="../../nibi_desk/gui/pref_pages.py" line="+143" />
        <source>Default basemap:</source>
        <translation>默认底图：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>None (no background map)</source>
        <translation>无（不显示底图）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Choose a basemap</source>
        <translation>选择底图</translation>
    </message>
    <message>
        <location line="+1" />
        <source>MBTiles basemaps (*.mbtiles);;All files (*)</source>
        <translation>MBTiles 底图 (*.mbtiles);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+7" />
        <source>The basemap file does not exist.</source>
        <translation>底图文件不存在。</translation>
    </message>
</context>
<context>
    <name>NewRegistryDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/startup.py" line="+24" />
        <source>New registry for a county</source>
        <translation>为县新建登记库</translation>
    </message>
    <message>
        <location line="+7" />
        <source>From a division CSV…</source>
        <translation>从行政区划 CSV 导入…</translation>
    </message>
    <message>
        <location line="+5" />
        <source>County</source>
        <translation>县（市、区）</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+5" />
        <location line="+28" />
        <source>Registry file</source>
        <translation>登记库文件</translation>
    </message>
    <message>
        <location line="-10" />
        <source>Division CSV</source>
        <translation>行政区划 CSV</translation>
    </message>
    <message>
        <location line="+0" />
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="+11" />
        <source>NIBI registries (*.nibi)</source>
        <translation>NIBI 登记库 (*.nibi)</translation>
    </message>
</context>
<context>
    <name>Preferences</name>
    <message>
        <location filename="../../nibi_desk/gui/pref_pages.py" line="-172" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+37" />
        <source>Inspector</source>
        <translation>巡检员</translation>
    </message>
    <message>
        <location line="+26" />
        <source>Units</source>
        <translation>单位</translation>
    </message>
    <message>
        <location line="+41" />
        <source>Data directory</source>
        <translation>数据目录</translation>
    </message>
    <message>
        <location line="+44" />
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <location line="+37" />
        <source>Reports</source>
        <translation>报告</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <location filename="../../nibi_desk/gui/preferences.py" line="+75" />
        <source>{page}: {problem}</source>
        <translation>{page}：{problem}</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
</context>
<context>
    <name>RegistryBrowser</name>
    <message>
        <location filename="../../nibi_desk/gui/browser/browser.py" line="+170" />
        <location line="+43" />
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <location line="-13" />
        <source>1 asset</source>
        <translation>1 个设施</translation>
    </message>
    <message>
        <location line="+0" />
        <source>%1 assets</source>
        <translation>%1 个设施</translation>
    </message>
    <message>
        <location line="-24" />
        <source>The query took %1 ms</source>
        <translation>查询耗时 %1 毫秒</translation>
    </message>
    <message>
        <location line="+29" />
        <location line="+2" />
        <source>Search failed</source>
        <translation>搜索失败</translation>
    </message>
    <message>
        <location line="+0" />
        <source>The registry could not be searched.</source>
        <translation>无法搜索登记库。</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../nibi_desk/gui/pref_pages.py" line="+14" />
        <source>Issuing unit:</source>
        <translation>出具单位：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Report header:</source>
        <translation>报告标题：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Document number prefix:</source>
        <translation>文号前缀：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Starts the document number of every report</source>
        <translation>每份报告文号的开头部分</translation>
    </message>
    <message>
        <location line="+5" />
        <source>The document number prefix cannot be empty.</source>
        <translation>文号前缀不能为空。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The document number prefix cannot contain spaces or any of \ / : * ? " &lt; &gt; |.</source>
        <translation>文号前缀不能包含空格或 \ / : * ? " &lt; &gt; | 中的任何字符。</translation>
    </message>
</context>
<context>
    <name>SearchBox</name>
    <message>
        <source>Search name, code or address (Ctrl+F)</source>
        <translation type="vanished">搜索名称、编码或地址（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../nibi_desk/gui/browser/search_box.py" line="+35" />
        <source>Search name, code or address (%1)</source>
        <translation>搜索名称、编码或地址（%1）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>One or two characters search by substring; three or more use the full-text index</source>
        <translation>一到两个字符按子串搜索；三个及以上字符使用全文索引</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Search assets</source>
        <translation>搜索设施</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../../nibi_desk/gui/settings.py" line="+102" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Inspector name</source>
        <translation>巡检员姓名</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Inspector organisation</source>
        <translation>巡检员所属单位</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Coordinate format</source>
        <translation>坐标格式</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Distance unit</source>
        <translation>距离单位</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Data directory</source>
        <translation>数据目录</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Default basemap</source>
        <translation>默认底图</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Issuing unit</source>
        <translation>出具单位</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Report header</source>
        <translation>报告标题</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Document number prefix</source>
        <translation>文号前缀</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Last registry</source>
        <translation>上次打开的登记库</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Recent registries</source>
        <translation>最近打开的登记库</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Proximity threshold (m)</source>
        <translation>邻近阈值（米）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Visible table columns</source>
        <translation>表格显示的列</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../nibi_desk/gui/status.py" line="+24" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+37" />
        <source>Registry: {file}  ·  {county} ({code})</source>
        <translation>登记库：{file}  ·  {county}（{code}）</translation>
    </message>
    <message>
        <location line="+18" />
        <source>{total} assets</source>
        <translation>共 {total} 项设施</translation>
    </message>
</context>
<context>
    <name>UnitsPage</name>
    <message>
        <location filename="../../nibi_desk/gui/pref_pages.py" line="-128" />
        <source>Coordinates:</source>
        <translation>坐标：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Decimal degrees (114.305392°)</source>
        <translation>十进制度（114.305392°）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Degrees, minutes, seconds (114°18′19.4″)</source>
        <translation>度分秒（114°18′19.4″）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Distances:</source>
        <translation>距离：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Metres</source>
        <translation>米</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Kilometres</source>
        <translation>千米</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Proximity threshold:</source>
        <translation>邻近阈值：</translation>
    </message>
    <message>
        <location line="+1" />
        <source> m</source>
        <translation> 米</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Distance within which two positions count as close to each other</source>
        <translation>两个位置之间的距离小于此值时视为相互邻近</translation>
    </message>
</context>
</TS>