; NIBI Desk (新基建巡检台) — Windows installer (Inno Setup 6.5 or later: Chinese Simplified is an official language
; there; with an older Inno Setup put ChineseSimplified.isl from its translations page into its Languages folder).
;
; What it installs: the frozen one-folder app that `make dist` builds on Windows (dist\nibi-desk\: nibi-desk.exe, the
; window; nibi.exe, the command line; _internal\), for the current user without administrator rights
; (%LOCALAPPDATA%\Programs\NIBI Desk), with Start-menu and optional desktop shortcuts and the file associations
; .nibi (registry, opens it) and .nibx (bundle, imports it into the open registry). An administrator may choose
; "install for all users" in the first dialog (PrivilegesRequiredOverridesAllowed); the associations then go to HKLM.
;
; Build on Windows after `make dist` (which also makes build\icons\nibi-desk.ico):
;   iscc /DAppVersion=0.1.0 installers\windows\nibi-desk.iss       -> dist\nibi-desk-0.1.0-setup.exe
; tests/test_installers.py checks this script's sources, languages and settings on every test run.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "NIBI Desk"
#define AppExe "nibi-desk.exe"
#define Root "..\.."

[Setup]
AppId={{6E1B3C2A-5D47-4F0B-9C1E-4E4942494445}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=NIBI Desk
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
OutputDir={#Root}\dist
OutputBaseFilename=nibi-desk-{#AppVersion}-setup
SetupIconFile={#Root}\build\icons\nibi-desk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
CloseApplications=yes

[Languages]
Name: "zh_CN"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
zh_CN.AppTitle=新基建巡检台
en.AppTitle=NIBI Desk
zh_CN.AppComment=5G 基站、多功能智能杆和视频监控的离线登记与巡检
en.AppComment=Offline registry and inspection of 5G base stations, smart poles and cameras
zh_CN.CommandLine=新基建巡检台命令行 (nibi)
en.CommandLine=NIBI Desk command line (nibi)
zh_CN.UserGuide=用户指南
en.UserGuide=User guide
zh_CN.RegistryFile=新基建巡检台登记库
en.RegistryFile=NIBI Desk registry
zh_CN.BundleFile=新基建巡检台数据包
en.BundleFile=NIBI Desk bundle
zh_CN.Associate=用新基建巡检台打开登记库 (.nibi) 和数据包 (.nibx)
en.Associate=Open registries (.nibi) and bundles (.nibx) with NIBI Desk
zh_CN.LaunchApp=启动新基建巡检台
en.LaunchApp=Start NIBI Desk

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "associate"; Description: "{cm:Associate}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#Root}\dist\nibi-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#Root}\build\icons\nibi-desk.ico"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{cm:AppTitle}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"; IconFilename: "{app}\nibi-desk.ico"
Name: "{autoprograms}\{cm:CommandLine}"; Filename: "{cmd}"; Parameters: "/k ""cd /d ""{userdocs}"" && set PATH={app};%PATH% && nibi --help"""; WorkingDir: "{userdocs}"
Name: "{autoprograms}\{cm:UserGuide}"; Filename: "{app}\_internal\nibi_desk\_data\docs\guide\{code:GuideLanguage}\index.html"
Name: "{autodesktop}\{cm:AppTitle}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"; IconFilename: "{app}\nibi-desk.ico"; Tasks: desktopicon

[Registry]
; HKA = HKCU for a per-user install, HKLM when an administrator installs for all users.
Root: HKA; Subkey: "Software\Classes\.nibi\OpenWithProgids"; ValueType: string; ValueName: "NIBIDesk.Registry"; ValueData: ""; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\NIBIDesk.Registry"; ValueType: string; ValueName: ""; ValueData: "{cm:RegistryFile}"; Flags: uninsdeletekey; Tasks: associate
Root: HKA; Subkey: "Software\Classes\NIBIDesk.Registry\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\nibi-desk.ico,0"; Tasks: associate
Root: HKA; Subkey: "Software\Classes\NIBIDesk.Registry\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: associate
Root: HKA; Subkey: "Software\Classes\.nibx\OpenWithProgids"; ValueType: string; ValueName: "NIBIDesk.Bundle"; ValueData: ""; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\NIBIDesk.Bundle"; ValueType: string; ValueName: ""; ValueData: "{cm:BundleFile}"; Flags: uninsdeletekey; Tasks: associate
Root: HKA; Subkey: "Software\Classes\NIBIDesk.Bundle\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\nibi-desk.ico,0"; Tasks: associate
Root: HKA; Subkey: "Software\Classes\NIBIDesk.Bundle\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: associate
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".nibi"; ValueData: ""; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".nibx"; ValueData: ""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program put beside itself; the user's registries, backups and logs in %APPDATA% stay.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"

[Code]
function GuideLanguage(Param: String): String;
begin
  if ActiveLanguage = 'zh_CN' then
    Result := 'zh_CN'
  else
    Result := 'en';
end;
