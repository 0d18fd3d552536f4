# hostpkgs lib: license descriptions (lib.licenses).
#
# Attribute names and SPDX ids follow nixpkgs' lib/licenses.nix (the most
# used subset). Every license has { shortName fullName free redistributable
# deprecated }, plus spdxId and url where one exists; as in nixpkgs,
# shortName defaults to the attribute name, url defaults to the SPDX page,
# and redistributable defaults to free.
# Lookup by SPDX id: lib.getLicenseFromSpdxId / lib.meta.licensesSpdx
# (meta.nix); a `spdx` attribute is deliberately not added here so that every
# value of lib.licenses stays a license.
{ lib }:
let
  spdxUrl = id: "https://spdx.org/licenses/${id}.html";
  finish = name: l:
    let base = { shortName = name; free = true; deprecated = false; } // l
          // (if l ? spdxId && !(l ? url) then { url = spdxUrl l.spdxId; } else { });
    in { redistributable = base.free; } // base;

  # s: SPDX license; n: non-free SPDX license; u: no SPDX id, with a url.
  s = spdxId: fullName: { inherit spdxId fullName; };
  n = spdxId: fullName: { inherit spdxId fullName; free = false; };
  u = url: fullName: { inherit url fullName; };
  old = spdxId: fullName: { inherit spdxId fullName; deprecated = true; };
in
builtins.mapAttrs finish {
  abstyles = s "Abstyles" "Abstyles License";
  afl20 = s "AFL-2.0" "Academic Free License v2.0";
  afl21 = s "AFL-2.1" "Academic Free License v2.1";
  afl3 = s "AFL-3.0" "Academic Free License v3.0";
  agpl3Only = s "AGPL-3.0-only" "GNU Affero General Public License v3.0 only";
  agpl3Plus = s "AGPL-3.0-or-later" "GNU Affero General Public License v3.0 or later";
  amazonsl = u "https://aws.amazon.com/asl/" "Amazon Software License" // { free = false; };
  apsl10 = s "APSL-1.0" "Apple Public Source License 1.0";
  apsl20 = s "APSL-2.0" "Apple Public Source License 2.0";
  artistic1 = s "Artistic-1.0" "Artistic License 1.0";
  artistic1-cl8 = s "Artistic-1.0-cl8" "Artistic License 1.0 w/clause 8";
  artistic2 = s "Artistic-2.0" "Artistic License 2.0";
  asl11 = s "Apache-1.1" "Apache License 1.1";
  asl20 = s "Apache-2.0" "Apache License 2.0";
  asl20-llvm = s "Apache-2.0 WITH LLVM-exception" "Apache License 2.0 with LLVM Exceptions";
  beerware = s "Beerware" "Beerware License";
  blueOak100 = s "BlueOak-1.0.0" "Blue Oak Model License 1.0.0";
  bola11 = u "https://blitiri.com.ar/p/bola/" "Buena Onda License Agreement 1.1";
  boost = s "BSL-1.0" "Boost Software License 1.0";
  bsd0 = s "0BSD" "BSD Zero Clause License";
  bsd1 = s "BSD-1-Clause" "BSD 1-Clause License";
  bsd2 = s "BSD-2-Clause" ''BSD 2-clause "Simplified" License'';
  bsd2Patent = s "BSD-2-Clause-Patent" "BSD-2-Clause Plus Patent License";
  bsd2WithViews = s "BSD-2-Clause-Views" "BSD 2-Clause with views sentence";
  bsd3 = s "BSD-3-Clause" ''BSD 3-clause "New" or "Revised" License'';
  bsd3Clear = s "BSD-3-Clause-Clear" "BSD 3-Clause Clear License";
  bsdOriginal = s "BSD-4-Clause" ''BSD 4-clause "Original" or "Old" License'';
  bsdOriginalUC = s "BSD-4-Clause-UC" "BSD 4-Clause University of California-Specific";
  bsdProtection = s "BSD-Protection" "BSD Protection License";
  bsl11 = n "BUSL-1.1" "Business Source License 1.1" // { redistributable = true; };
  cc0 = s "CC0-1.0" "Creative Commons Zero v1.0 Universal";
  cc-by-30 = s "CC-BY-3.0" "Creative Commons Attribution 3.0";
  cc-by-40 = s "CC-BY-4.0" "Creative Commons Attribution 4.0";
  cc-by-nc-30 = n "CC-BY-NC-3.0" "Creative Commons Attribution Non Commercial 3.0 Unported";
  cc-by-nc-40 = n "CC-BY-NC-4.0" "Creative Commons Attribution Non Commercial 4.0 International";
  cc-by-nc-nd-40 = n "CC-BY-NC-ND-4.0" "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International";
  cc-by-nc-sa-30 = n "CC-BY-NC-SA-3.0" "Creative Commons Attribution Non Commercial Share Alike 3.0";
  cc-by-nc-sa-40 = n "CC-BY-NC-SA-4.0" "Creative Commons Attribution Non Commercial Share Alike 4.0";
  cc-by-nd-30 = n "CC-BY-ND-3.0" "Creative Commons Attribution-No Derivative Works v3.00";
  cc-by-nd-40 = n "CC-BY-ND-4.0" "Creative Commons Attribution-No Derivative Works v4.0";
  cc-by-sa-25 = s "CC-BY-SA-2.5" "Creative Commons Attribution Share Alike 2.5";
  cc-by-sa-30 = s "CC-BY-SA-3.0" "Creative Commons Attribution Share Alike 3.0";
  cc-by-sa-40 = s "CC-BY-SA-4.0" "Creative Commons Attribution Share Alike 4.0";
  cddl = s "CDDL-1.0" "Common Development and Distribution License 1.0";
  cecill20 = s "CECILL-2.0" "CeCILL Free Software License Agreement v2.0";
  cecill21 = s "CECILL-2.1" "CeCILL Free Software License Agreement v2.1";
  cecill-b = s "CECILL-B" "CeCILL-B Free Software License Agreement";
  cecill-c = s "CECILL-C" "CeCILL-C Free Software License Agreement";
  clArtistic = s "ClArtistic" "Clarified Artistic License";
  cpal10 = s "CPAL-1.0" "Common Public Attribution License 1.0";
  cpl10 = s "CPL-1.0" "Common Public License 1.0";
  curl = s "curl" "curl License";
  doc = s "DOC" "DOC License";
  ecl20 = s "ECL-2.0" "Educational Community License, Version 2.0" // { shortName = "ECL 2.0"; };
  efl20 = s "EFL-2.0" "Eiffel Forum License v2.0";
  elastic20 = n "Elastic-2.0" "Elastic License 2.0";
  epl10 = s "EPL-1.0" "Eclipse Public License 1.0";
  epl20 = s "EPL-2.0" "Eclipse Public License 2.0";
  eupl11 = s "EUPL-1.1" "European Union Public License 1.1";
  eupl12 = s "EUPL-1.2" "European Union Public License 1.2";
  fair = s "Fair" "Fair License";
  fdl11Only = s "GFDL-1.1-only" "GNU Free Documentation License v1.1 only";
  fdl11Plus = s "GFDL-1.1-or-later" "GNU Free Documentation License v1.1 or later";
  fdl12Only = s "GFDL-1.2-only" "GNU Free Documentation License v1.2 only";
  fdl12Plus = s "GFDL-1.2-or-later" "GNU Free Documentation License v1.2 or later";
  fdl13Only = s "GFDL-1.3-only" "GNU Free Documentation License v1.3 only";
  fdl13Plus = s "GFDL-1.3-or-later" "GNU Free Documentation License v1.3 or later";
  free = { fullName = "Unspecified free software license"; };
  ftl = s "FTL" "Freetype Project License";
  gpl1Only = s "GPL-1.0-only" "GNU General Public License v1.0 only";
  gpl1Plus = s "GPL-1.0-or-later" "GNU General Public License v1.0 or later";
  gpl2Only = s "GPL-2.0-only" "GNU General Public License v2.0 only";
  gpl2Plus = s "GPL-2.0-or-later" "GNU General Public License v2.0 or later";
  gpl2Classpath = s "GPL-2.0-with-classpath-exception" "GNU General Public License v2.0 only (with Classpath exception)";
  gpl2ClasspathPlus = u "https://fedoraproject.org/wiki/Licensing/GPL_Classpath_Exception"
    "GNU General Public License v2.0 or later (with Classpath exception)";
  gpl2Oss = u "https://www.mysql.com/about/legal/licensing/foss-exception"
    "GNU General Public License version 2 only (with OSI approved licenses linking exception)";
  gpl3Only = s "GPL-3.0-only" "GNU General Public License v3.0 only";
  gpl3Plus = s "GPL-3.0-or-later" "GNU General Public License v3.0 or later";
  gpl3ClasspathPlus = u "https://fedoraproject.org/wiki/Licensing/GPL_Classpath_Exception"
    "GNU General Public License v3.0 or later (with Classpath exception)";
  hpnd = s "HPND" "Historic Permission Notice and Disclaimer";
  hpndSellVariant = s "HPND-sell-variant" "Historical Permission Notice and Disclaimer - sell variant";
  ijg = s "IJG" "Independent JPEG Group License";
  imagemagick = s "ImageMagick" "ImageMagick License";
  info-zip = s "Info-ZIP" "Info-ZIP License";
  ipa = s "IPA" "IPA Font License";
  ipl10 = s "IPL-1.0" "IBM Public License v1.0";
  isc = s "ISC" "ISC License";
  lal13 = s "LAL-1.3" "Licence Art Libre 1.3";
  lgpl2Only = s "LGPL-2.0-only" "GNU Library General Public License v2 only";
  lgpl2Plus = s "LGPL-2.0-or-later" "GNU Library General Public License v2 or later";
  lgpl21Only = s "LGPL-2.1-only" "GNU Lesser General Public License v2.1 only";
  lgpl21Plus = s "LGPL-2.1-or-later" "GNU Lesser General Public License v2.1 or later";
  lgpl3Only = s "LGPL-3.0-only" "GNU Lesser General Public License v3.0 only";
  lgpl3Plus = s "LGPL-3.0-or-later" "GNU Lesser General Public License v3.0 or later";
  libpng = s "Libpng" "libpng License";
  libpng2 = s "libpng-2.0" "PNG Reference Library version 2";
  libtiff = s "libtiff" "libtiff License";
  lppl13c = s "LPPL-1.3c" "LaTeX Project Public License v1.3c";
  mit = s "MIT" "MIT License";
  mit0 = s "MIT-0" "MIT No Attribution";
  mit-cmu = s "MIT-CMU" "CMU License";
  mit-feh = s "MIT-feh" "feh License";
  mitAdvertising = s "MIT-advertising" "Enlightenment License (e16)";
  mpl10 = s "MPL-1.0" "Mozilla Public License 1.0";
  mpl11 = s "MPL-1.1" "Mozilla Public License 1.1";
  mpl20 = s "MPL-2.0" "Mozilla Public License 2.0";
  mspl = s "MS-PL" "Microsoft Public License";
  mulan-psl2 = s "MulanPSL-2.0" "Mulan Permissive Software License, Version 2";
  nasa13 = n "NASA-1.3" "NASA Open Source Agreement 1.3";
  ncsa = s "NCSA" "University of Illinois/NCSA Open Source License";
  nposl3 = s "NPOSL-3.0" "Non-Profit Open Software License 3.0";
  odbl = s "ODbL-1.0" "Open Data Commons Open Database License v1.0";
  ofl = s "OFL-1.1" "SIL Open Font License 1.1";
  openldap = s "OLDAP-2.8" "Open LDAP Public License v2.8";
  openssl = s "OpenSSL" "OpenSSL License";
  osl21 = s "OSL-2.1" "Open Software License 2.1";
  osl3 = s "OSL-3.0" "Open Software License 3.0";
  php301 = s "PHP-3.01" "PHP License v3.01";
  postgresql = s "PostgreSQL" "PostgreSQL License";
  psfl = s "Python-2.0" "Python Software Foundation License version 2"
    // { url = "https://docs.python.org/license.html"; };
  publicDomain = { fullName = "Public Domain"; };
  qhull = s "Qhull" "Qhull License";
  qpl = s "QPL-1.0" "Q Public License 1.0";
  ruby = s "Ruby" "Ruby License";
  sendmail = s "Sendmail" "Sendmail License";
  sgi-b-20 = s "SGI-B-2.0" "SGI Free Software License B v2.0";
  sleepycat = s "Sleepycat" "Sleepycat License";
  sspl = n "SSPL-1.0" "Server Side Public License" // { shortName = "SSPL"; redistributable = true; };
  tcltk = s "TCL" "TCL/TK License";
  unfree = { fullName = "Unfree"; free = false; };
  unfreeRedistributable = { fullName = "Unfree redistributable"; free = false; redistributable = true; };
  # Counted as free for distribution, as nixpkgs does for firmware blobs.
  unfreeRedistributableFirmware = { fullName = "Unfree redistributable firmware"; redistributable = true; };
  unicode-30 = s "Unicode-3.0" "Unicode License v3";
  unicode-dfs-2015 = s "Unicode-DFS-2015" "Unicode License Agreement - Data Files and Software (2015)";
  unicode-dfs-2016 = s "Unicode-DFS-2016" "Unicode License Agreement - Data Files and Software (2016)";
  unlicense = s "Unlicense" "The Unlicense";
  upl = s "UPL-1.0" "Universal Permissive License";
  vim = s "Vim" "Vim License";
  vsl10 = s "VSL-1.0" "Vovida Software License v1.0";
  w3c = s "W3C" "W3C Software Notice and License";
  watcom = s "Watcom-1.0" "Sybase Open Watcom Public License 1.0";
  wtfpl = s "WTFPL" "Do What The F*ck You Want To Public License";
  wxWindows = s "wxWindows" "wxWindows Library Licence, Version 3.1";
  x11 = s "X11" "X11 License";
  zlib = s "Zlib" "zlib License";
  zpl20 = s "ZPL-2.0" "Zope Public License 2.0";
  zpl21 = s "ZPL-2.1" "Zope Public License 2.1";

  # Deprecated ambiguous GNU ids, kept because older expressions use them.
  agpl3 = old "AGPL-3.0" "GNU Affero General Public License v3.0";
  gpl2 = old "GPL-2.0" "GNU General Public License v2.0";
  gpl3 = old "GPL-3.0" "GNU General Public License v3.0";
  lgpl2 = old "LGPL-2.0" "GNU Library General Public License v2";
  lgpl21 = old "LGPL-2.1" "GNU Lesser General Public License v2.1";
  lgpl3 = old "LGPL-3.0" "GNU Lesser General Public License v3.0";
}
