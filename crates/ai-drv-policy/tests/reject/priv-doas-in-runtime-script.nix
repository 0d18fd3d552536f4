# rule: privilege-escalation
# line: 6
{ lib, writeShellScriptBin, sl }:

writeShellScriptBin "sl-everywhere" ''
  doas cp ${sl}/bin/sl /usr/local/bin/sl
''
