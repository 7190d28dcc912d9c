-- Issue 12, applications: an ASN is looked up across accounts (a new
-- application's ASNs must not be held by another account).
CREATE INDEX account_asns_asn_idx ON account_asns (asn);
