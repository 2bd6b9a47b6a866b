(* Hashtbl: bindings, shadowing, removal, growth, traversal, hashing. *)
let () =
  let h = Hashtbl.create 1 in
  Hashtbl.add h "a" 1;
  Hashtbl.add h "a" 2;
  assert (Hashtbl.find h "a" = 2);
  assert (Hashtbl.find_all h "a" = [2; 1]);
  assert (Hashtbl.length h = 2);
  Hashtbl.remove h "a";
  assert (Hashtbl.find h "a" = 1);
  Hashtbl.replace h "a" 10;
  assert (Hashtbl.find_all h "a" = [10]);
  assert (Hashtbl.find_opt h "b" = None);
  assert (not (Hashtbl.mem h "b"));
  (match Hashtbl.find h "b" with _ -> assert false | exception Not_found -> ());
  for i = 0 to 999 do Hashtbl.replace h (string_of_int i) i done;
  assert (Hashtbl.length h = 1001);
  for i = 0 to 999 do assert (Hashtbl.find h (string_of_int i) = i) done;
  assert (Hashtbl.fold (fun _ v acc -> v + acc) h 0 = 499500 + 10);
  let n = ref 0 in
  Hashtbl.iter (fun _ _ -> incr n) h;
  assert (!n = 1001);
  Hashtbl.filter_map_inplace (fun _ v -> if v mod 2 = 0 then Some (v * 2) else None) h;
  assert (Hashtbl.length h = 501);
  assert (Hashtbl.find h "4" = 8);
  let c = Hashtbl.copy h in
  Hashtbl.reset h;
  assert (Hashtbl.length h = 0 && Hashtbl.length c = 501);
  assert (List.length (List.of_seq (Hashtbl.to_seq c)) = 501);
  (* OCaml 4.13's values *)
  assert (Hashtbl.hash 1 = 883721435);
  assert (Hashtbl.hash "abc" = 767105082);
  assert (Hashtbl.hash (1, "a") = Hashtbl.hash (1, "a"));
  let t = Hashtbl.create 4 in
  Hashtbl.add t (1, [2]) 'x';
  assert (Hashtbl.find t (1, [2]) = 'x');
  print_endline "OK"
