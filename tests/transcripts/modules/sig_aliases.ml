module M = struct let x = 1 end;;
module X = struct module L = M end;;
module type S = sig module Alias = M type t end;;
module type T = sig module Alias = M type t = int end;;
module Y : S = struct module Alias = M type t = int end;;
Y.Alias.x;;
module Z : sig module A = M end = struct module A = M end;;
