# Exports identities with a search query, for the audit team.
param(
    [string]$Tenant = $env:ISC_TENANT
)

$base = "https://$Tenant.api.identitynow.com"
$headers = @{ Authorization = "Bearer $env:ISC_TOKEN" }

$query = @{
    indices = @('identities')
    query   = @{ query = 'attributes.department:Finance' }
} | ConvertTo-Json -Depth 5

$identities = Invoke-RestMethod -Uri "$base/v3/search" -Method Post -Headers $headers `
    -Body $query -ContentType 'application/json'

$identities | Export-Csv -Path ./identities.csv -NoTypeInformation
