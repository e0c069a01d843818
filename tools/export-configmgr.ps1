<#
.SYNOPSIS
    Export what Configuration Manager knows about the hierarchy (sites, site systems, role
    settings, boundaries) to one JSON file for `cmnetc import configmgr`.

.DESCRIPTION
    Run it on a computer with the Configuration Manager console installed. It reads only: it
    calls Get-* cmdlets of the ConfigurationManager module and changes nothing.

      Get-CMSite                      SMS_Site: SiteCode, SiteName, Type (1 secondary, 2 primary,
                                      4 central administration site), ReportingSiteCode (parent),
                                      ServerName, BuildNumber, Version
      Get-CMSiteSystemServer -AllSite SMS_SCI_SysResUse with RoleName "SMS Site System": every
                                      site system server (NetworkOSPath, SiteCode)
      Get-CMSiteRole -AllSite         SMS_SCI_SysResUse: RoleName, NetworkOSPath, SiteCode, Props
                                      (SMS_EmbeddedProperty: PropertyName, Value, Value1, Value2)
                                      and PropLists (SMS_EmbeddedPropertyList: PropertyListName,
                                      Values), e.g. IsPXE, IsPullDP and SourceDistributionPoints
                                      on a distribution point, WSUSIISPort, WSUSIISSSLPort and
                                      SSLWSUS on a software update point, UseProxy, ProxyName and
                                      ProxyServerPort on a site system ("SMS Site System")
      Get-CMSiteComponent             SMS_SCI_Component SMS_MP_CONTROL_MANAGER of each site:
                                      Props IISPortsList / IISSSLPortsList (client request ports)
      Get-CMSiteDefinition            SMS_SCI_SiteDefinition of each site: Props SQlServicePort and
                                      SSBPort (the site database's SQL Server and Service Broker
                                      ports)
      Get-CMBoundary                  SMS_Boundary: BoundaryID, BoundaryType (0 IP subnet, 1 Active
                                      Directory site, 2 IPv6 prefix, 3 IP range), Value, DisplayName
      Get-CMBoundaryGroup             SMS_BoundaryGroup: GroupID, Name, DefaultSiteCode (the site
                                      it assigns)
      Get-CMBoundary -BoundaryGroupId the group's members (SMS_BoundaryGroupMembers)
      Get-CMBoundaryGroupSiteSystem   SMS_BoundaryGroupSiteSystems: ServerNALPath, SiteCode

    Permissions: a Configuration Manager administrative user with read access to every site,
    site system, site component and boundary of the hierarchy. The built-in "Read-only Analyst"
    security role with the "All" security scope (and the "All Systems" collection) is enough;
    no permission to modify anything is used. The account connects to the SMS Provider of the
    site given with -SiteCode (run it against the top-level site to see the whole hierarchy).

    The output is UTF-8 JSON, schema "cmnet-configmgr-export" version 1 (docs/import.md):
      { Schema, SchemaVersion, ExportedAt, ProviderSiteCode,
        Sites[], SiteSystemServers[], SiteSystemRoles[], SiteComponents[], SiteDefinitions[],
        Boundaries[], BoundaryGroups[ { GroupID, Name, DefaultSiteCode, Boundaries[ BoundaryID ],
                          SiteSystems[ { ServerNALPath, SiteCode } ] } ] }
    with the WMI property names above. It contains no credentials.

.PARAMETER SiteCode
    The site whose SMS Provider to read (the drive "SITECODE:" the module creates).

.PARAMETER OutFile
    Where to write the JSON (default: configmgr-export.json in the current directory).

.EXAMPLE
    PS> .\export-configmgr.ps1 -SiteCode CAS -OutFile contoso-export.json
    PS> cmnetc import configmgr contoso-export.json --addresses servers.csv -o contoso.cmnet
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^[A-Za-z0-9]{3}$')]
    [string] $SiteCode,

    [string] $OutFile = 'configmgr-export.json'
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

function ConvertTo-ExportProps {
    # SMS_EmbeddedProperty as plain objects: PropertyName, Value (number), Value1, Value2.
    param($Props)
    $out = @()
    foreach ($p in @($Props)) {
        if ($null -eq $p) { continue }
        $out += [ordered]@{
            PropertyName = [string] $p.PropertyName
            Value        = [long] $p.Value
            Value1       = [string] $p.Value1
            Value2       = [string] $p.Value2
        }
    }
    return , $out
}

function ConvertTo-ExportPropLists {
    # SMS_EmbeddedPropertyList as plain objects: PropertyListName, Values (strings).
    param($PropLists)
    $out = @()
    foreach ($l in @($PropLists)) {
        if ($null -eq $l) { continue }
        $out += [ordered]@{
            PropertyListName = [string] $l.PropertyListName
            Values           = @(@($l.Values) | Where-Object { $null -ne $_ } | ForEach-Object { [string] $_ })
        }
    }
    return , $out
}

if (-not (Get-Module -Name ConfigurationManager)) {
    if (-not $env:SMS_ADMIN_UI_PATH) {
        throw 'The Configuration Manager console is not installed here (SMS_ADMIN_UI_PATH is not set).'
    }
    Import-Module (Join-Path (Split-Path $env:SMS_ADMIN_UI_PATH -Parent) 'ConfigurationManager.psd1')
}
$target = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile)

Push-Location "$($SiteCode):"
try {
    $sites = @(Get-CMSite | Sort-Object SiteCode | ForEach-Object {
        [ordered]@{
            SiteCode          = [string] $_.SiteCode
            SiteName          = [string] $_.SiteName
            Type              = [int] $_.Type
            ReportingSiteCode = [string] $_.ReportingSiteCode
            ServerName        = [string] $_.ServerName
            BuildNumber       = [long] $_.BuildNumber
            Version           = [string] $_.Version
        }
    })
    Write-Host ("Sites:               {0}" -f $sites.Count)
    foreach ($s in $sites) {
        Write-Host ("  {0} type {1} parent '{2}' on {3}" -f $s.SiteCode, $s.Type, $s.ReportingSiteCode, $s.ServerName)
    }

    $servers = @(Get-CMSiteSystemServer -AllSite | Sort-Object -Property @('SiteCode', 'NetworkOSPath') | ForEach-Object {
        [ordered]@{ SiteCode = [string] $_.SiteCode; NetworkOSPath = [string] $_.NetworkOSPath }
    })
    Write-Host ("Site system servers: {0}" -f $servers.Count)

    $roles = @(Get-CMSiteRole -AllSite | Sort-Object -Property @('SiteCode', 'NetworkOSPath', 'RoleName') | ForEach-Object {
        [ordered]@{
            SiteCode      = [string] $_.SiteCode
            NetworkOSPath = [string] $_.NetworkOSPath
            RoleName      = [string] $_.RoleName
            Props         = ConvertTo-ExportProps $_.Props
            PropLists     = ConvertTo-ExportPropLists $_.PropLists
        }
    })
    Write-Host ("Site system roles:   {0}" -f $roles.Count)
    foreach ($group in ($roles | Group-Object { $_.RoleName } | Sort-Object Name)) {
        Write-Host ("  {0,-40} {1}" -f $group.Name, $group.Count)
    }

    $components = @()
    foreach ($s in $sites) {
        foreach ($c in @(Get-CMSiteComponent -SiteCode $s.SiteCode -ComponentName 'SMS_MP_CONTROL_MANAGER')) {
            if ($null -eq $c) { continue }
            $components += [ordered]@{
                SiteCode      = [string] $s.SiteCode
                ComponentName = 'SMS_MP_CONTROL_MANAGER'
                Props         = ConvertTo-ExportProps $c.Props
            }
        }
    }
    Write-Host ("Site components:     {0}" -f $components.Count)

    $definitions = @()
    foreach ($s in $sites) {
        foreach ($d in @(Get-CMSiteDefinition -SiteCode $s.SiteCode)) {
            if ($null -eq $d) { continue }
            $definitions += [ordered]@{
                SiteCode = [string] $s.SiteCode
                Props    = ConvertTo-ExportProps $d.Props
            }
        }
    }
    Write-Host ("Site definitions:    {0}" -f $definitions.Count)

    $boundaries = @(Get-CMBoundary | Sort-Object BoundaryID | ForEach-Object {
        [ordered]@{
            BoundaryID   = [long] $_.BoundaryID
            BoundaryType = [int] $_.BoundaryType
            Value        = [string] $_.Value
            DisplayName  = [string] $_.DisplayName
        }
    })
    Write-Host ("Boundaries:          {0}" -f $boundaries.Count)

    $groups = @(Get-CMBoundaryGroup | Sort-Object GroupID | ForEach-Object {
        $g = $_
        $members = @(Get-CMBoundary -BoundaryGroupId $g.GroupID | ForEach-Object { [long] $_.BoundaryID } | Sort-Object)
        $systems = @(Get-CMBoundaryGroupSiteSystem -Id $g.GroupID | ForEach-Object {
            [ordered]@{ ServerNALPath = [string] $_.ServerNalPath; SiteCode = [string] $_.SiteCode }
        })
        [ordered]@{
            GroupID         = [long] $g.GroupID
            Name            = [string] $g.Name
            DefaultSiteCode = [string] $g.DefaultSiteCode
            Boundaries      = $members
            SiteSystems     = $systems
        }
    })
    Write-Host ("Boundary groups:     {0}" -f $groups.Count)
    foreach ($g in $groups) {
        Write-Host ("  {0}: site '{1}', {2} boundaries, {3} site systems" -f $g.Name, $g.DefaultSiteCode, $g.Boundaries.Count, $g.SiteSystems.Count)
    }
}
finally {
    Pop-Location
}

$export = [ordered]@{
    Schema            = 'cmnet-configmgr-export'
    SchemaVersion     = 1
    ExportedAt        = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
    ProviderSiteCode  = $SiteCode.ToUpperInvariant()
    Sites             = $sites
    SiteSystemServers = $servers
    SiteSystemRoles   = $roles
    SiteComponents    = $components
    SiteDefinitions   = $definitions
    Boundaries        = $boundaries
    BoundaryGroups    = $groups
}
$json = ConvertTo-Json -InputObject $export -Depth 8
[System.IO.File]::WriteAllText($target, $json, (New-Object System.Text.UTF8Encoding($false)))
Write-Host "Wrote $target"
