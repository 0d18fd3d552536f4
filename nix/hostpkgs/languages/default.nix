{ lib, self }: { }
