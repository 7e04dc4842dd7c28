#!/bin/sh
# the DynamoDB price list of the local AWS emulator: the public offer files
# fetched with curl, pricing:GetProducts, DescribeServices and
# GetAttributeValues called by Debian's awscli, the same SKU at the same
# price both ways; prices checked against pricelist.js's source tables; the
# Database Savings Plans price list files and DescribeSavingsPlansOfferingRates,
# each rate its on-demand price less the emulator's discount
# shellcheck disable=SC2016 # the $names in single quotes are jq's
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

emulator_start --org small --seed 7 || exit 1

# source EXPR: EXPR evaluated over pricelist.js (as p), printed as JSON.
source_data() {
	node -p "const p = require(process.argv[1]); JSON.stringify($1)" \
		"$OPTIMA_TOP/tests/emulator/pricelist.js"
}
# The open-ended (paid) price of every usage type of REGIONS, by usage type.
want_prices() {
	source_data "Object.fromEntries($1.flatMap((r) => p.TABLE_CLASSES.flatMap((c) => {
		const u = p.usageTypes(r, c), v = p.unitPrices(r, c);
		return Object.keys(u).map((k) => [u[k], v[k]]); })))"
}
# jq: usage type -> paid price, of an offer file or a list of PriceList items.
OFFER_PRICES='. as $o | [.products[] | {(.attributes.usagetype):
	($o.terms.OnDemand[.sku][].priceDimensions[] | select(.endRange == "Inf")
	| .pricePerUnit.USD | tonumber)}] | add'
ITEM_PRICES='[.[] | {(.product.attributes.usagetype):
	(.terms.OnDemand[].priceDimensions[] | select(.endRange == "Inf")
	| .pricePerUnit.USD | tonumber)}] | add'
# jq: sku -> terms, both ways.
OFFER_TERMS='. as $o | [.products | keys[] as $s | {($s): ({OnDemand: $o.terms.OnDemand[$s]}
	+ if $o.terms.Reserved[$s] then {Reserved: $o.terms.Reserved[$s]} else {} end)}] | add'
ITEM_TERMS='[.[] | {(.product.sku): .terms}] | add'
OFFER_PRODUCTS='.products'
ITEM_PRODUCTS='[.[] | {(.product.sku): .product}] | add'

# holds JQ-ARGS...: jq -e, quietly.
holds() {
	jq -e "$@" >/dev/null
}
# same FILE-A JQ-A FILE-B JQ-B: the two views are equal JSON values.
same() {
	jq "$2" "$1" >"$T/a.json" && jq "$4" "$3" >"$T/b.json" &&
		holds --slurpfile b "$T/b.json" '. == $b[0]' "$T/a.json"
}

offers="$AWS_ENDPOINT_URL/offers/v1.0/aws"
run 0 curl -sf "$offers/index.json"
check "the service index lists AmazonDynamoDB" \
	[ "$(jq -r .offers.AmazonDynamoDB.offerCode "$T/out")" = AmazonDynamoDB ]
region_index=$(jq -r .offers.AmazonDynamoDB.currentRegionIndexUrl "$T/out")
version_index=$(jq -r .offers.AmazonDynamoDB.versionIndexUrl "$T/out")
run 0 curl -sf "$AWS_ENDPOINT_URL$region_index"
cp "$T/out" "$T/regions.json"
check "the region index names every region of the price list" \
	[ "$(jq -c '.regions | keys' "$T/regions.json")" = "$(source_data '[...p.REGION_CODES].sort()')" ]
has "$T/regions.json" '"publicationDate" : "'
run 0 curl -sf "$AWS_ENDPOINT_URL$version_index"
url=$(jq -r '.versions[.currentVersion].offerVersionUrl' "$T/out")
run 0 curl -sf "$AWS_ENDPOINT_URL$url"
cp "$T/out" "$T/all.json"
check "the offer of all regions prices every usage type as listed" \
	holds --argjson want "$(want_prices p.REGION_CODES)" "($OFFER_PRICES) == \$want" "$T/all.json"

for region in $(jq -r '.regions | keys[]' "$T/regions.json"); do
	url=$(jq -r --arg r "$region" '.regions[$r].currentVersionUrl' "$T/regions.json")
	run 0 curl -sf -o "$T/$region.json" "$AWS_ENDPOINT_URL$url"
	check "$region: offer prices match the source" holds \
		--argjson want "$(want_prices "['$region']")" "($OFFER_PRICES) == \$want" "$T/$region.json"
	check "$region: region code and location on every product" holds \
		--arg r "$region" --arg l "$(source_data "p.location('$region')" | jq -r .)" \
		'[.products[].attributes | .regionCode == $r and .location == $l] | all' "$T/$region.json"
done
# Well-known list prices, us-east-1 (no usage-type prefix).
check "us-east-1 Standard storage is 0.25 USD per GB-month" holds \
	"($OFFER_PRICES)[\"TimedStorage-ByteHrs\"] == 0.25" "$T/us-east-1.json"
check "us-east-1 Standard-IA storage is 0.10 USD per GB-month" holds \
	"($OFFER_PRICES)[\"IA-TimedStorage-ByteHrs\"] == 0.10" "$T/us-east-1.json"
check "the first 25 GB-months are free" holds '. as $o | .products[]
	| select(.attributes.usagetype == "TimedStorage-ByteHrs") | $o.terms.OnDemand[.sku][].priceDimensions[]
	| select(.beginRange == "0") | .endRange == "25" and (.pricePerUnit.USD | tonumber) == 0' "$T/us-east-1.json"

# Revalidation and AWS's answer for a file that is not there.
etag=$(curl -sfI "$AWS_ENDPOINT_URL$region_index" | tr -d '\r' | sed -n 's/^etag: //Ip')
check "offer files carry an ETag" [ -n "$etag" ]
run 0 curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$AWS_ENDPOINT_URL$region_index"
has "$T/out" 304
run 0 curl -s -w '\n%{http_code}' "$offers/AmazonDynamoDB/current/xx-nowhere-1/index.json"
has "$T/out" "<Code>NoSuchKey</Code>"
check "a missing offer file is a 404" [ "$(tail -n 1 "$T/out")" = 404 ]

# GetProducts through awscli, seven products a page.
run 0 awscli pricing get-products --service-code AmazonDynamoDB --format-version aws_v1 \
	--page-size 7 --debug
jq '.PriceList | map(fromjson)' "$T/out" >"$T/items.json"
pages=$(grep -c 'Making request for OperationModel(name=GetProducts)' "$T/err")
check "GetProducts paged by 7 ($pages requests)" \
	[ "$pages" -eq "$(source_data "Math.ceil(p.priceList().length / 7)")" ]
check "GetProducts prices every usage type as listed" holds \
	--argjson want "$(want_prices p.REGION_CODES)" "($ITEM_PRICES) == \$want" "$T/items.json"
check "the same SKUs carry the same terms both ways" \
	same "$T/items.json" "$ITEM_TERMS" "$T/all.json" "$OFFER_TERMS"
check "the same SKUs are the same products both ways" \
	same "$T/items.json" "$ITEM_PRODUCTS" "$T/all.json" "$OFFER_PRODUCTS"
check "reserved terms: 1yr and 3yr on Standard RCU and WCU only" holds \
	--argjson n "$(source_data 'p.REGION_CODES.length * 2')" \
	'[.[] | select(.terms.Reserved) | .terms.Reserved[].termAttributes.LeaseContractLength]
	| length == 2 * $n and (unique == ["1yr", "3yr"])' "$T/items.json"

eu=$(source_data "p.usageTypes('eu-west-1', 'STANDARD').storageGbMonth" | jq -r .)
run 0 awscli pricing get-products --service-code AmazonDynamoDB \
	--filters Type=TERM_MATCH,Field=regionCode,Value=eu-west-1 "Type=TERM_MATCH,Field=usagetype,Value=$eu"
check "regionCode and usagetype filters select one product" holds \
	--argjson want "$(source_data "p.unitPrices('eu-west-1', 'STANDARD').storageGbMonth")" \
	".PriceList | map(fromjson) | length == 1 and (($ITEM_PRICES)[\"$eu\"] == \$want)" "$T/out"
run 0 awscli pricing get-products --service-code AmazonDynamoDB \
	--filters 'Type=ANY_OF,Field=regionCode,Value="us-east-1,eu-west-1"' Type=CONTAINS,Field=usagetype,Value=IA-
check "ANY_OF and CONTAINS filters" holds --argjson want "$(source_data "[...new Set(['us-east-1', 'eu-west-1']
	.flatMap((r) => Object.values(p.usageTypes(r, 'STANDARD_INFREQUENT_ACCESS'))))].sort()")" \
	'[.PriceList[] | fromjson | .product.attributes.usagetype] | sort == $want' "$T/out"

run 0 awscli pricing describe-services --service-code AmazonDynamoDB
check "DescribeServices names the filterable attributes" holds \
	'.Services[0].AttributeNames | index("regionCode") and index("usagetype") and index("productFamily")' "$T/out"
run 0 awscli pricing get-attribute-values --service-code AmazonDynamoDB --attribute-name regionCode
check "GetAttributeValues lists the regions" \
	[ "$(jq -c '[.AttributeValues[].Value]' "$T/out")" = "$(source_data '[...p.REGION_CODES].sort()')" ]

run 254 awscli pricing get-products --service-code AmazonS4
has err "NotFoundException"
run 254 awscli pricing get-products --service-code AmazonDynamoDB --filters Type=REGEX,Field=usagetype,Value=x
has err "InvalidParameterException"
AWS_SECRET_ACCESS_KEY=wrong run 254 awscli pricing get-products --service-code AmazonDynamoDB
has err "InvalidSignatureException"

# The Database Savings Plans: the region index (a list), each region's
# file, its rates the on-demand prices less 18% (request units) or 12%
# (capacity unit-hours).  us-east-1 Standard: 0.125 per million reads on
# demand, 0.1025 under the plan; a WCU-hour 0.00065, 0.000572.
sp="$AWS_ENDPOINT_URL/savingsPlan/v1.0/aws/AWSDatabaseSavingsPlans"
run 0 curl -sf "$sp/current/region_index.json"
cp "$T/out" "$T/sp-regions.json"
check "the Savings Plans region index lists every region" \
	[ "$(jq -c '[.regions[].regionCode] | sort' "$T/sp-regions.json")" = \
	"$(source_data '[...p.REGION_CODES].sort()')" ]
check "the service index points at it" [ "$(curl -sf "$offers/index.json" |
	jq -r .offers.AmazonDynamoDB.currentSavingsPlanIndexUrl)" = \
	/savingsPlan/v1.0/aws/AWSDatabaseSavingsPlans/current/region_index.json ]
# jq: usage type -> rate, of a Savings Plans file or of searchResults.
SP_RATES='[.terms.savingsPlan[].rates[] | select(.discountedServiceCode == "AmazonDynamoDB")
	| {(.discountedUsageType): .discountedRate.price}] | add'
API_RATES='[.searchResults[] | {(.usageType): .rate}] | add'
for region in $(jq -r '.regions[].regionCode' "$T/sp-regions.json"); do
	url=$(jq -r --arg r "$region" '.regions[] | select(.regionCode == $r) | .versionUrl' \
		"$T/sp-regions.json")
	run 0 curl -sf -o "$T/sp-$region.json" "$AWS_ENDPOINT_URL$url"
	check "$region: every rate is its on-demand price less the discount" holds \
		--argjson want "$(source_data "Object.fromEntries(p.spRates('$region').map((x) => [x.usageType, x.rate]))")" \
		"($SP_RATES) == \$want" "$T/sp-$region.json"
	check "$region: the file names its region, a product per plan" holds --arg r "$region" \
		'.regionCode == $r and ([.products[].attributes | "\(.purchaseTerm) \(.purchaseOption)"] == ["1yr No Upfront"])' \
		"$T/sp-$region.json"
done
check "us-east-1: 0.1025 per million reads, 0.000572 a WCU-hour" holds \
	'($SP) | .ReadRequestUnits == "0.0000001025" and ."WriteCapacityUnit-Hrs" == "0.000572"' \
	--argjson SP "$(jq "$SP_RATES" "$T/sp-us-east-1.json")" -n
check "each rate's discounted SKU is the on-demand product's" holds \
	--slurpfile o "$T/us-east-1.json" '[.terms.savingsPlan[].rates[] |
	$o[0].products[.discountedSku].attributes.usagetype == .discountedUsageType] | all' \
	"$T/sp-us-east-1.json"

# DescribeSavingsPlansOfferingRates through awscli (whose model of 2.9
# has no paginator for it), five rates a page.
: >"$T/api.ndjson"
pages=0
tok=
while [ "$pages" -lt 100 ]; do
	run 0 awscli --region us-east-1 savingsplans describe-savings-plans-offering-rates \
		--savings-plan-types Database --max-results 5 ${tok:+--next-token "$tok"}
	pages=$((pages + 1))
	jq -c '.searchResults[]' "$T/out" >>"$T/api.ndjson"
	tok=$(jq -r '.nextToken // empty' "$T/out")
	[ -n "$tok" ] || break
done
jq -s '{searchResults: .}' "$T/api.ndjson" >"$T/api-all.json"
check "paged by 5 ($pages requests)" \
	[ "$pages" -eq "$(source_data "Math.ceil(p.savingsPlanOfferingRates().length / 5)")" ]
check "every region's rates, a Database plan of 1 year No Upfront" holds \
	--argjson n "$(source_data 'p.savingsPlanOfferingRates().length')" \
	'.searchResults | length == $n and (map(.savingsPlanOffering | "\(.planType) \(.durationSeconds) \(.paymentOption)") | unique == ["Database 31536000 No Upfront"])' \
	"$T/api-all.json"
run 0 awscli --region us-east-1 savingsplans describe-savings-plans-offering-rates \
	--savings-plan-types Database --filters name=region,values=eu-west-1
check "the region filter: the API's rates are the file's" holds \
	--argjson want "$(jq "$SP_RATES" "$T/sp-eu-west-1.json")" "($API_RATES) == \$want" "$T/out"
run 254 awscli --region us-east-1 savingsplans describe-savings-plans-offering-rates \
	--savings-plan-types Cheap
has err "ValidationException"
run 254 awscli --region us-east-1 savingsplans describe-savings-plans-offering-rates \
	--next-token bm9wZQ==
has err "Invalid nextToken"
AWS_SECRET_ACCESS_KEY=wrong run 254 awscli --region us-east-1 savingsplans \
	describe-savings-plans-offering-rates
has err "InvalidSignatureException"
finish
