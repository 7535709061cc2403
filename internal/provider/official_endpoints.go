package provider

// officialEndpointKeys are the keys of the official huaweicloud provider's
// endpoints map (the service catalog of huaweicloud/config/endpoints.go in
// github.com/huaweicloud/terraform-provider-huaweicloud, read in 2026). A
// configuration copied from it may hold any of them; this provider uses only
// endpointServices, and warns about the rest instead of failing. A key of this
// list is never taken for a typo of a key this provider uses (ims is not iam).
var officialEndpointKeys = []string{
	"aad", "accessanalyzer", "anti-ddos", "anti-ddosv2", "aom", "apig", "apigv2", "apm", "appstream", "asm",
	"autoscaling", "bcs", "bms", "bss", "bssv2", "cae", "cbh", "cbr", "cc", "cce", "cce_addon", "ccev1",
	"cci", "cciv1_bata", "ccm", "cdm", "cdn", "ces", "cesv2", "cfw", "cloudtable", "cmdb", "cms", "coc",
	"codearts_build", "codearts_deploy", "codearts_pipeline", "codehub", "cph", "cpts", "cs", "csbs",
	"cse", "css", "cssv2", "cts", "das", "dataarts", "dataarts-dlf", "dbss", "dc", "dcs", "dcsv1", "ddm",
	"dds", "ddsv31", "deh", "dis", "disv3", "dli", "dliv2", "dliv3", "dms", "dmsv2", "dns", "dns_region",
	"dnsv21", "drs", "drsv5", "dsc", "dws", "dwsv2", "ecs", "ecsv11", "ecsv21", "eg", "elb", "elbv2",
	"elbv3", "eps", "er", "esw", "evs", "evsv1", "evsv21", "evsv5", "fgs", "fwv2", "ga", "gaussdb",
	"geip", "geminidb", "geminidbv31", "ges", "hss", "iam", "iam_global", "iam_no_version", "identity",
	"identity_ext", "identitycenter", "identitystore", "iec", "ims", "imsv1", "iotda", "kms", "kmsv1", "kmsv3",
	"lakeformation", "live", "lts", "meeting", "metastudio", "mkt", "mls", "modelarts", "modelartsv2", "mpc",
	"mrs", "mrsv2", "nat", "natv2", "natv3", "networkv2", "oms", "opengauss", "organizations", "projectman",
	"ram", "rds", "rdsv1", "rdsv31", "rfs", "rgc", "rms", "rts", "scm", "sdrs", "secmaster", "servicestage",
	"servicestagev2", "sfs", "sfs-turbo", "smn", "smn-tag", "sms", "sms-intl", "sts", "swr", "tms", "tmsv2",
	"ucs", "vbs", "vod", "vpc", "vpcep", "vpcv3", "vpn", "vss", "waf", "waf-dedicated", "workspace",
}
