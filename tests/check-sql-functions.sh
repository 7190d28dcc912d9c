#!/usr/bin/env bash
# SQL functions live in one file each, migrations/functions/<name>.sql, and
# numbered migrations never define them (server/db/migrate.h). Fails when a
# numbered migration contains CREATE [OR REPLACE] FUNCTION, when a function
# file defines no function or one not named after the file (so two files
# cannot define the same function), when a `-- needs:` line names a function
# that has no file, or when a migration calls a function of the files
# (trigger, CHECK, generated column, data step) without naming it in a
# `-- needs:` line. Usage: tests/check-sql-functions.sh [MIGRATIONS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
exec perl -e '
use strict;
use warnings;
my $dir = shift;
my @errors;
sub slurp { open(my $f, "<", $_[0]) or die "$_[0]: $!\n"; local $/; my $t = <$f>; return $t; }
# Comments out, and the text of dollar-quoted bodies (a body may say anything).
sub code {
	my $t = shift;
	$t =~ s/\$(\w*)\$.*?\$\1\$/\$\$/gs;
	$t =~ s/--[^\n]*//g;
	return $t;
}
my $defines = qr/\bCREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(?:public\.)?"?(\w+)/i;

my %file;    # function name -> its file
my %definer; # function name -> the file defining it
opendir(my $d, "$dir/functions") or die "check-sql-functions: $dir/functions: $!\n";
for my $f (sort grep { /\.sql$/ } readdir($d)) {
	(my $name = $f) =~ s/\.sql$//;
	my $text = slurp("$dir/functions/$f");
	# the text outside the bodies: a DROP FUNCTION of an old signature may come first
	my @defined = code($text) =~ /$defines/g;
	push @errors, "functions/$f defines no function" unless @defined;
	for my $fn (map { lc } @defined) {
		push @errors, "functions/$f defines $fn: a function lives in functions/$fn.sql" if $fn ne $name;
		push @errors, "functions/$definer{$fn} and functions/$f both define $fn"
			if $definer{$fn} && $definer{$fn} ne $f;
		$definer{$fn} = $f;
	}
	$file{$name} = $f;
}
closedir($d);

opendir($d, $dir) or die "check-sql-functions: $dir: $!\n";
for my $m (sort grep { /^\d{3}_.*\.sql$/ } readdir($d)) {
	my $text = slurp("$dir/$m");
	my $code = code($text);
	push @errors, "$m defines function $1: functions live in functions/$1.sql" while $code =~ /$defines/g;
	my %needs;
	# the directives: in the comment block the migration starts with
	for my $line (split /\n/, $text) {
		next if $line =~ /^\s*$/;
		last unless $line =~ /^\s*--/;
		next unless $line =~ /^-- needs:(.*)$/;
		for my $fn (grep { length } split /[\s,]+/, $1) {
			$needs{$fn} = 1;
			push @errors, "$m: -- needs: $fn, but there is no functions/$fn.sql" unless $file{$fn};
		}
	}
	# a call of a function of the files, not a table or index of the same name
	(my $calls = $code) =~ s/\b(?:DROP|ALTER|COMMENT\s+ON)\s+FUNCTION\b[^;]*//gi;
	while ($calls =~ /\b(\w+)\s*\(/g) {
		my $fn = $1;
		next unless $file{$fn} && !$needs{$fn};
		my ($before) = substr($calls, 0, $-[1]) =~ /(\w+)\s*$/;
		$before //= "";
		next if $before =~ /^(TABLE|EXISTS|REFERENCES|INTO|ON|FROM|JOIN|UPDATE|INDEX|ONLY)$/i;
		push @errors, "$m calls $fn but does not name it in a -- needs: line at its top";
		$needs{$fn} = 1;
	}
}
closedir($d);
if (@errors) {
	print STDERR "check-sql-functions: $_\n" for @errors;
	exit 1;
}
print "check-sql-functions: ", scalar(keys %file), " function files; migrations define none and name what they need\n";
' "${1:-migrations}"
