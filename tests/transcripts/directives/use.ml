(* #use, #mod_use and #directory's search path, compared with ocaml. *)
#mod_use "files/foo.ml";;
Foo.f 2;;
#use "files/bar.ml";;
#directory "files";;
#use "bar.ml";;
#mod_use "foo.ml";;
#remove_directory "files";;
#cd "files";;
#use "bar.ml";;
#cd "..";;
#use_output "echo let z = 40 + 2";;
#use_output "exit 3";;
#use_output "echo let q = 1 +";;
z;;
