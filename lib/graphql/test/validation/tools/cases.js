// Validation test cases per rule: [title, document, optional schema SDL]. The expected
// errors come from graphql-js when gen_rule_tests.js runs.
'use strict';
module.exports = {
  ExecutableDefinitionsRule: [
    ['only operation', `query Foo { dog { name } }`],
    ['operation and fragment', `query Foo { dog { name ...Frag } } fragment Frag on Dog { name }`],
    ['type definition', `query Foo { dog { name } }
type Cow { name: String }
extend type Dog { color: String }`],
    ['schema definition', `schema { query: Query }
type Query { test: String }
extend schema @directive`],
    ['directive and scalar definitions', `directive @x on FIELD
scalar Date
{ dog { name } }`],
  ],
  KnownOperationTypesRule: [
    ['one known operation', `{ field }`],
    ['known query and subscription', `query { dog { name } } subscription { newMessage { id } }`],
    ['unknown mutation', `mutation { doSomething }`],
    ['unknown mutation among others', `query { dog { name } } mutation M { x } mutation { y }`],
  ],
  UniqueOperationNamesRule: [
    ['no operations', `fragment fragA on Dog { name }`],
    ['one anon operation', `{ dog { name } }`],
    ['multiple operations', `query Foo { dog { name } } query Bar { dog { name } }`],
    ['multiple operations of different types', `query Foo { dog { name } } mutation Bar { field } subscription Baz { field }`],
    ['fragment and operation named the same', `query Foo { ...Foo } fragment Foo on Dog { name }`],
    ['multiple operations of same name', `query Foo { dog { name } }
query Foo { dog { nickname } }`],
    ['multiple ops of same name of different types', `query Foo { dog { name } }
mutation Foo { fieldB }
subscription Foo { fieldC }`],
  ],
  LoneAnonymousOperationRule: [
    ['no operations', `fragment fragA on Dog { name }`],
    ['one anon operation', `{ dog { name } }`],
    ['multiple named operations', `query Foo { dog { name } } query Bar { dog { name } }`],
    ['anon operation with fragment', `{ ...Foo } fragment Foo on QueryRoot { dog { name } }`],
    ['multiple anon operations', `{ fieldA }
{ fieldB }`],
    ['anon operation with a mutation', `{ fieldA }
mutation Foo { fieldB }`],
    ['anon operation with a subscription', `{ fieldA }
subscription Foo { fieldB }`],
  ],
  SingleFieldSubscriptionsRule: [
    ['valid subscription', `subscription ImportantEmails { importantEmails }`],
    ['valid subscription with fragment', `subscription sub { ...newMessageFields }
fragment newMessageFields on SubscriptionRoot { newMessage { id } }`],
    ['valid subscription with fragment and field', `subscription sub { newMessage { id } ...newMessageFields }
fragment newMessageFields on SubscriptionRoot { newMessage { content } }`],
    ['fails with more than one root field', `subscription ImportantEmails {
  importantEmails
  notImportantEmails
}`],
    ['fails with more than one root field including introspection', `subscription ImportantEmails {
  importantEmails
  __typename
}`],
    ['fails with more than one root field including aliased introspection via fragment', `subscription ImportantEmails {
  importantEmails
  ...Introspection
}
fragment Introspection on SubscriptionRoot {
  typename: __typename
}`],
    ['fails with many more than one root field', `subscription ImportantEmails {
  importantEmails
  notImportantEmails
  spamEmails
}`],
    ['fails with many more than one root field via fragments', `subscription ImportantEmails {
  importantEmails
  ... {
    more: moreImportantEmails
  }
  ...NotImportantEmails
}
fragment NotImportantEmails on SubscriptionRoot {
  notImportantEmails
  deleted: deletedEmails
  ...SpamEmails
}
fragment SpamEmails on SubscriptionRoot {
  spamEmails
}`],
    ['does not infinite loop on recursive fragments', `subscription NoInfiniteLoop { ...A }
fragment A on SubscriptionRoot { ...A }`],
    ['fails with many more than one root field via fragments anonymous', `subscription {
  importantEmails
  ... {
    more: moreImportantEmails
    ...NotImportantEmails
  }
  ...NotImportantEmails
}
fragment NotImportantEmails on SubscriptionRoot {
  notImportantEmails
  deleted: deletedEmails
  ... {
    ... {
      archivedEmails
    }
  }
  ...SpamEmails
}
fragment SpamEmails on SubscriptionRoot {
  spamEmails
  ...NonExistentFragment
}`],
    ['fails with more than one root field in anonymous subscriptions', `subscription {
  importantEmails
  notImportantEmails
}`],
    ['fails with introspection field', `subscription ImportantEmails {
  __typename
}`],
    ['fails with introspection field in anonymous subscription', `subscription {
  __typename
}`],
    ['fails with skip and include at root', `subscription RequireStaticRoot($skip: Boolean!) {
  importantEmails @skip(if: $skip)
  ... @include(if: true) { notImportantEmails }
}`],
    ['fragment on other type selects nothing', `subscription { ... on QueryRoot { dog { name } } }`],
  ],
  KnownTypeNamesRule: [
    ['known type names are valid', `query Foo($var: String, $required: [Int!]!, $introspectionType: __EnumValue) {
  user(id: 4) {
    pets { ... on Pet { name }, ...PetFields, ... { name } }
  }
}
fragment PetFields on Pet { name }`],
    ['unknown type names are invalid', `query Foo($var: JumbledUpLetters) {
  user(id: 4) {
    name
    pets { ... on Badger { name }, ...PetFields }
  }
}
fragment PetFields on Peat { name }`],
    ['references to standard scalars that are missing in schema', `query ($id: ID, $float: Float, $int: Int) { __typename }`, `type Query { foo: String }`],
    ['reference types defined inside the same document', `union SomeUnion = SomeObject | AnotherObject
type SomeObject implements SomeInterface { someScalar(arg: SomeInputObject): SomeScalar }
type AnotherObject { foo(arg: SomeInputObject): String }
type SomeInterface { someScalar(arg: SomeInputObject): SomeScalar }
input SomeInputObject { someScalar: SomeScalar }
scalar SomeScalar
type RootQuery { someInterface: SomeInterface someUnion: SomeUnion someScalar: SomeScalar someObject: SomeObject }
schema { query: RootQuery }`],
    ['unknown type references in SDL', `type A { foo: C bar: [Do]! baz: Strin }
interface Foo implements Catt { field: Pett }
union U = Dogg
input I { x: Cats }
directive @d(arg: Humn) on FIELD
extend type Dog { f(a: Booleans): Int }
schema { query: Quer }`],
    ['standard types in SDL do not need to exist', `type A { id: ID f: Float }`, `type Query { foo: String }`],
  ],
  FragmentsOnCompositeTypesRule: [
    ['object is valid fragment type', `fragment validFragment on Dog { barks }`],
    ['interface is valid fragment type', `fragment validFragment on Pet { name }`],
    ['object is valid inline fragment type', `fragment validFragment on Pet { ... on Dog { barks } }`],
    ['interface is valid inline fragment type', `fragment validFragment on Mammal { ... on Canine { name } }`],
    ['inline fragment without type is valid', `fragment validFragment on Pet { ... { name } }`],
    ['union is valid fragment type', `fragment validFragment on CatOrDog { __typename }`],
    ['scalar is invalid fragment type', `fragment scalarFragment on Boolean { bad }`],
    ['enum is invalid fragment type', `fragment scalarFragment on FurColor { bad }`],
    ['input object is invalid fragment type', `fragment inputFragment on ComplexInput { stringField }`],
    ['scalar is invalid inline fragment type', `fragment invalidFragment on Pet { ... on String { barks } }`],
    ['unknown type is ignored', `fragment f on Unknown { x } { dog { ... on Nope { y } } }`],
  ],
  VariablesAreInputTypesRule: [
    ['unknown types are ignored', `query Foo($a: Unknown, $b: [[Unknown!]]!) { field(a: $a, b: $b) }`],
    ['input types are valid', `query Foo($a: String, $b: [Boolean!]!, $c: ComplexInput) { field(a: $a, b: $b, c: $c) }`],
    ['output types are invalid', `query Foo($a: Dog, $b: [[CatOrDog!]]!, $c: Pet) { field(a: $a, b: $b, c: $c) }`],
  ],
  ScalarLeafsRule: [
    ['valid scalar selection', `fragment scalarSelection on Dog { barks }`],
    ['object type missing selection', `query directQueryOnObjectWithoutSubFields { human }`],
    ['interface type missing selection', `{ human { pets } }`],
    ['valid scalar selection with args', `fragment scalarSelectionWithArgs on Dog { doesKnowCommand(dogCommand: SIT) }`],
    ['scalar selection not allowed on Boolean', `fragment scalarSelectionsNotAllowedOnBoolean on Dog { barks { sinceWhen } }`],
    ['scalar selection not allowed on Enum', `fragment scalarSelectionsNotAllowedOnEnum on Cat { furColor { inHexDec } }`],
    ['scalar selection not allowed with args', `fragment scalarSelectionsNotAllowedWithArgs on Dog { doesKnowCommand(dogCommand: SIT) { sinceWhen } }`],
    ['scalar selection not allowed with directives and args', `fragment scalarSelectionsNotAllowedWithDirectivesAndArgs on Dog { name @include(if: true) { isAlsoHumanName } }`],
    ['list of objects missing selection', `{ human { relatives } }`],
  ],
  FieldsOnCorrectTypeRule: [
    ['object field selection', `fragment objectFieldSelection on Dog { __typename name }`],
    ['aliased object field selection', `fragment aliasedObjectFieldSelection on Dog { tn : __typename otherName : name }`],
    ['interface field selection', `fragment interfaceFieldSelection on Pet { __typename name }`],
    ['lying alias selection', `fragment lyingAliasSelection on Dog { name : nickname }`],
    ['ignores fields on unknown type', `fragment unknownSelection on UnknownType { unknownField }`],
    ['reports errors when type is known again', `fragment typeKnownAgain on Pet {
  unknown_pet_field {
    ... on Cat {
      unknown_cat_field
    }
  }
}`],
    ['field not defined on fragment', `fragment fieldNotDefined on Dog { meowVolume }`],
    ['ignores deeply unknown field', `fragment deepFieldNotDefined on Dog { unknown_field { deeper_unknown_field } }`],
    ['field not defined on inline fragment', `fragment fieldNotDefined on Pet { ... on Dog { meowVolume } }`],
    ['aliased field target not defined', `fragment aliasedFieldTargetNotDefined on Dog { volume : mooVolume }`],
    ['not defined on interface', `fragment notDefinedOnInterface on Pet { tailLength }`],
    ['defined on implementors but not on interface', `fragment definedOnImplementorsButNotInterface on Pet { nickname }`],
    ['meta field selection on union', `fragment directFieldSelectionOnUnion on CatOrDog { __typename }`],
    ['direct field selection on union', `fragment directFieldSelectionOnUnion on CatOrDog { directField }`],
    ['defined on implementors queried on union', `fragment definedOnImplementorsQueriedOnUnion on CatOrDog { name }`],
    ['valid field in inline fragment', `fragment objectFieldSelection on Pet { ... on Dog { name } ... { name } }`],
    ['schema meta fields only on query type', `{ dog { __schema { types { name } } __type(name: "Dog") { name } } __schema { queryType { name } } }`],
    ['suggests interfaces sorted by usage', `{ dogOrHuman { mother } catOrDog { barkVolume } humanOrAlien { iq } }`],
  ],
  UniqueFragmentNamesRule: [
    ['no fragments', `{ name }`],
    ['one fragment', `{ ...fragA } fragment fragA on Type { field }`],
    ['many fragments', `{ ...fragA ...fragB ...fragC } fragment fragA on Type { fieldA } fragment fragB on Type { fieldB } fragment fragC on Type { fieldC }`],
    ['inline fragments are always unique', `{ ...on Type { fieldA } ...on Type { fieldB } }`],
    ['fragment and operation named the same', `query Foo { ...Foo } fragment Foo on Type { field }`],
    ['fragments named the same', `{ ...fragA }
fragment fragA on Type { fieldA }
fragment fragA on Type { fieldB }
fragment fragA on Type { fieldC }`],
  ],
  KnownFragmentNamesRule: [
    ['known fragment names are valid', `{ human(id: 4) { ...HumanFields1 ... on Human { ...HumanFields2 } ... { name } } }
fragment HumanFields1 on Human { name ...HumanFields3 }
fragment HumanFields2 on Human { name }
fragment HumanFields3 on Human { name }`],
    ['unknown fragment names are invalid', `{
  human(id: 4) {
    ...UnknownFragment1
    ... on Human {
      ...UnknownFragment2
    }
  }
}
fragment HumanFields on Human {
  name
  ...UnknownFragment3
}`],
  ],
  NoUnusedFragmentsRule: [
    ['all fragment names are used', `{ human(id: 4) { ...HumanFields1 ... on Human { ...HumanFields2 } } }
fragment HumanFields1 on Human { name ...HumanFields3 }
fragment HumanFields2 on Human { name }
fragment HumanFields3 on Human { name }`],
    ['all fragment names are used by multiple operations', `query Foo { human(id: 4) { ...HumanFields1 } }
query Bar { human(id: 4) { ...HumanFields2 } }
fragment HumanFields1 on Human { name ...HumanFields3 }
fragment HumanFields2 on Human { name }
fragment HumanFields3 on Human { name }`],
    ['contains unknown fragments', `query Foo { human(id: 4) { ...HumanFields1 } }
query Bar { human(id: 4) { ...HumanFields2 } }
fragment HumanFields1 on Human { name ...HumanFields3 }
fragment HumanFields2 on Human { name }
fragment HumanFields3 on Human { name }
fragment Unused1 on Human { name }
fragment Unused2 on Human { name }`],
    ['contains unknown fragments with ref cycle', `query Foo { human(id: 4) { ...HumanFields1 } }
fragment HumanFields1 on Human { name ...HumanFields3 }
fragment HumanFields3 on Human { name }
fragment Unused1 on Human { name ...Unused2 }
fragment Unused2 on Human { name ...Unused1 }`],
    ['contains unknown and undef fragments', `query Foo { human(id: 4) { ...bar } }
fragment foo on Human { name }`],
  ],
  PossibleFragmentSpreadsRule: [
    ['of the same object', `fragment objectWithinObject on Dog { ...dogFragment } fragment dogFragment on Dog { barkVolume }`],
    ['of the same object with inline fragment', `fragment objectWithinObjectAnon on Dog { ... on Dog { barkVolume } }`],
    ['object into an implemented interface', `fragment objectWithinInterface on Pet { ...dogFragment } fragment dogFragment on Dog { barkVolume }`],
    ['object into containing union', `fragment objectWithinUnion on CatOrDog { ...dogFragment } fragment dogFragment on Dog { barkVolume }`],
    ['union into contained object', `fragment unionWithinObject on Dog { ...catOrDogFragment } fragment catOrDogFragment on CatOrDog { __typename }`],
    ['interface into implemented object', `fragment interfaceWithinObject on Dog { ...petFragment } fragment petFragment on Pet { name }`],
    ['interface into overlapping interface', `fragment interfaceWithinInterface on Pet { ...beingFragment } fragment beingFragment on Being { name }`],
    ['different object into object', `fragment invalidObjectWithinObject on Cat { ...dogFragment } fragment dogFragment on Dog { barkVolume }`],
    ['different object into object in inline fragment', `fragment invalidObjectWithinObjectAnon on Cat { ... on Dog { barkVolume } }`],
    ['object into not implementing interface', `fragment invalidObjectWithinInterface on Pet { ...humanFragment } fragment humanFragment on Human { pets { name } }`],
    ['object into not containing union', `fragment invalidObjectWithinUnion on CatOrDog { ...humanFragment } fragment humanFragment on Human { pets { name } }`],
    ['union into not contained object', `fragment invalidUnionWithinObject on Human { ...catOrDogFragment } fragment catOrDogFragment on CatOrDog { __typename }`],
    ['union into non overlapping union', `fragment invalidUnionWithinUnion on CatOrDog { ...humanOrAlienFragment } fragment humanOrAlienFragment on HumanOrAlien { __typename }`],
    ['interface into non implementing object', `fragment invalidInterfaceWithinObject on Cat { ...intelligentFragment } fragment intelligentFragment on Intelligent { iq }`],
    ['interface into non overlapping union inline', `fragment invalidInterfaceWithinUnionAnon on HumanOrAlien { ... on Pet { name } }`],
    ['ignores incorrect type', `fragment checkUnknown on Dog { ...unknownFrag ... on Unknown { x } } fragment unknownFrag on Foo { x }`],
  ],
  NoFragmentCyclesRule: [
    ['single reference is valid', `fragment fragA on Dog { ...fragB } fragment fragB on Dog { name }`],
    ['spreading twice is not circular', `fragment fragA on Dog { ...fragB, ...fragB } fragment fragB on Dog { name }`],
    ['spreading twice indirectly is not circular', `fragment fragA on Dog { ...fragB, ...fragC } fragment fragB on Dog { ...fragC } fragment fragC on Dog { name }`],
    ['double spread within abstract types', `fragment nameFragment on Pet { ... on Dog { name } ... on Cat { name } } fragment spreadsInAnon on Pet { ... on Dog { ...nameFragment } ... on Cat { ...nameFragment } }`],
    ['does not false positive on unknown fragment', `fragment nameFragment on Pet { ...UnknownFragment }`],
    ['spreading recursively within field fails', `fragment fragA on Human { relatives { ...fragA } }`],
    ['no spreading itself directly', `fragment fragA on Dog { ...fragA }`],
    ['no spreading itself directly within inline fragment', `fragment fragA on Pet { ... on Dog { ...fragA } }`],
    ['no spreading itself indirectly', `fragment fragA on Dog { ...fragB } fragment fragB on Dog { ...fragA }`],
    ['no spreading itself indirectly reports opposite order', `fragment fragB on Dog { ...fragA } fragment fragA on Dog { ...fragB }`],
    ['no spreading itself deeply', `fragment fragA on Dog { ...fragB }
fragment fragB on Dog { ...fragC }
fragment fragC on Dog { ...fragO }
fragment fragX on Dog { ...fragY }
fragment fragY on Dog { ...fragZ }
fragment fragZ on Dog { ...fragO }
fragment fragO on Dog { ...fragP }
fragment fragP on Dog { ...fragA, ...fragX }`],
    ['no spreading itself deeply two paths', `fragment fragA on Dog { ...fragB, ...fragC } fragment fragB on Dog { ...fragA } fragment fragC on Dog { ...fragA }`],
    ['no spreading itself deeply two paths alt traverse order', `fragment fragA on Dog { ...fragC } fragment fragB on Dog { ...fragC } fragment fragC on Dog { ...fragA, ...fragB }`],
    ['no spreading itself deeply and immediately', `fragment fragA on Dog { ...fragB } fragment fragB on Dog { ...fragB, ...fragC } fragment fragC on Dog { ...fragA, ...fragB }`],
  ],
  UniqueVariableNamesRule: [
    ['unique variable names', `query A($x: Int, $y: String) { __typename } query B($x: String, $y: Int) { __typename }`],
    ['duplicate variable names', `query A($x: Int, $x: Int, $x: String) { __typename }
query B($x: String, $x: Int) { __typename }
query C($x: Int, $x: Int) { __typename }`],
  ],
  NoUndefinedVariablesRule: [
    ['all variables defined', `query Foo($a: String, $b: String, $c: String) { field(a: $a, b: $b, c: $c) }`],
    ['all variables deeply defined in inline fragments', `query Foo($a: String, $b: String, $c: String) { ... on Type { field(a: $a) { field(b: $b) { ... on Type { field(c: $c) } } } } }`],
    ['all variables in fragments deeply defined', `query Foo($a: String, $b: String, $c: String) { ...FragA }
fragment FragA on Type { field(a: $a) { ...FragB } }
fragment FragB on Type { field(b: $b) { ...FragC } }
fragment FragC on Type { field(c: $c) }`],
    ['variable within recursive fragment defined', `query Foo($a: String) { ...FragA } fragment FragA on Type { field(a: $a) { ...FragA } }`],
    ['variable not defined', `query Foo($a: String, $b: String, $c: String) { field(a: $a, b: $b, c: $c, d: $d) }`],
    ['variable not defined by un named query', `{ field(a: $a) }`],
    ['multiple variables not defined', `query Foo($b: String) { field(a: $a, b: $b, c: $c) }`],
    ['variable in fragment not defined by unnamed query', `{ ...FragA } fragment FragA on Type { field(a: $a) }`],
    ['variable in fragment not defined by operation', `query Foo($a: String, $b: String) { ...FragA }
fragment FragA on Type { field(a: $a) { ...FragB } }
fragment FragB on Type { field(b: $b) { ...FragC } }
fragment FragC on Type { field(c: $c) }`],
    ['multiple undefined variables produce multiple errors', `query Foo($b: String) { ...FragAB }
query Bar($a: String) { ...FragAB }
fragment FragAB on Type { field1(a: $a, b: $b) ...FragC field3(a: $a, b: $b) }
fragment FragC on Type { field2(c: $c) }`],
    ['variables in directives', `query Foo { dog @include(if: $cond) { name } }`],
  ],
  NoUnusedVariablesRule: [
    ['uses all variables', `query ($a: String, $b: String, $c: String) { field(a: $a, b: $b, c: $c) }`],
    ['uses all variables deeply in inline fragments', `query Foo($a: String, $b: String, $c: String) { ... on Type { field(a: $a) { field(b: $b) { ... on Type { field(c: $c) } } } } }`],
    ['uses all variables in fragments', `query Foo($a: String, $b: String, $c: String) { ...FragA }
fragment FragA on Type { field(a: $a) { ...FragB } }
fragment FragB on Type { field(b: $b) { ...FragC } }
fragment FragC on Type { field(c: $c) }`],
    ['variable used by recursive fragment', `query Foo($a: String) { ...FragA } fragment FragA on Type { field(a: $a) { ...FragA } }`],
    ['variable not used', `query ($a: String, $b: String, $c: String) { field(a: $a, b: $b) }`],
    ['multiple variables not used', `query Foo($a: String, $b: String, $c: String) { field(b: $b) }`],
    ['variable not used by unreferenced fragment', `query Foo($b: String) { ...FragA } fragment FragA on Type { field(a: $a) } fragment FragB on Type { field(b: $b) }`],
    ['variable not used by fragment used by other operation', `query Foo($b: String) { ...FragA } query Bar($a: String) { ...FragB } fragment FragA on Type { field(a: $a) } fragment FragB on Type { field(b: $b) }`],
  ],
  KnownDirectivesRule: [
    ['no directives', `query Foo { name ...Frag } fragment Frag on Dog { name }`],
    ['standard directives', `{ human @skip(if: false) { name pets { ... on Dog @include(if: true) { name } } } }`],
    ['unknown directive', `{ human @unknown(directive: "value") { name } }`],
    ['many unknown directives', `{ __typename @unknown human @unknown { name pets @unknown { name } } }`],
    ['well placed directives', `query ($var: Boolean @onVariableDefinition) @onQuery {
  human @include(if: $var) { name }
  ...Frag @onFragmentSpread
  ... @onInlineFragment { __typename }
}
mutation @onMutation { someField }
subscription @onSubscription { someField }
fragment Frag on Human @onFragmentDefinition { name }`],
    ['misplaced directives', `query ($var: Boolean @onQuery) @onMutation {
  human @onQuery { name }
  ...Frag @onQuery
  ... @onQuery { __typename }
}
mutation @onQuery { someField }
subscription @onQuery { someField }
fragment Frag on Human @onQuery { name }`],
    ['directives in SDL', `directive @myDirective on FIELD_DEFINITION | OBJECT
type MyObj @myDirective { myField(myArg: Int @myDirective): String @myDirective }
extend type MyObj @deprecated
input MyInput @myDirective { f: Int @onField }
enum E @onQuery { A @deprecated B @myDirective }
scalar S @specifiedBy(url: "x") @onField
schema @onQuery { query: MyObj }
union U @onField = MyObj
interface I @myDirective { f: Int }`],
    ['directive defined in document', `directive @local on QUERY
query @local { dog { name @local } }`],
  ],
  UniqueDirectivesPerLocationRule: [
    ['no directives', `fragment Test on Type { field }`],
    ['unique directives in different locations', `fragment Test on Type @onFragmentDefinition { field @onField }`],
    ['unique directives in same locations', `fragment Test on Type @onFragmentDefinition @withArgs(required: 1) { field @onField @skip(if: true) }`],
    ['same directives in different locations', `fragment Test on Type @onFragmentDefinition { field @onFragmentDefinition }`],
    ['same directives in similar locations', `fragment Test on Type { field @onField field @onField }`],
    ['repeatable directives in same location', `fragment Test on Type { field @repeatable @repeatable }`],
    ['unknown directives must be ignored', `type Test @unknown @unknown { field: String! @unknown @unknown }
extend type Test @unknown { field: String! @unknown }`],
    ['duplicate directives in one location', `fragment Test on Type { field @onField @onField }`],
    ['many duplicate directives in one location', `fragment Test on Type { field @onField @onField @onField }`],
    ['different duplicate directives in one location', `fragment Test on Type { field @onField @skip(if: true) @onField @skip(if: false) }`],
    ['duplicate directives in many locations', `fragment Test on Type @onFragmentDefinition @onFragmentDefinition { field @onField @onField }`],
    ['duplicate directives between SDL definitions and extensions', `directive @nonRepeatable on SCHEMA | OBJECT
schema @nonRepeatable { query: Dummy }
extend schema @nonRepeatable
type TestObject @nonRepeatable
extend type TestObject @nonRepeatable`],
    ['directive defined in document repeatable', `directive @rep repeatable on FIELD
directive @once on FIELD
{ dog @rep @rep @once @once }`],
  ],
  KnownArgumentNamesRule: [
    ['single arg is known', `fragment argOnRequiredArg on Dog { doesKnowCommand(dogCommand: SIT) }`],
    ['multiple args are known', `fragment multipleArgs on ComplicatedArgs { multipleReqs(req1: 1, req2: 2) }`],
    ['ignores args of unknown fields', `fragment argOnUnknownField on Dog { unknownField(unknownArg: SIT) }`],
    ['multiple args in reverse order are known', `fragment multipleArgsReverseOrder on ComplicatedArgs { multipleReqs(req2: 2, req1: 1) }`],
    ['no args on optional arg', `fragment noArgOnOptionalArg on Dog { isHouseTrained }`],
    ['args are known deeply', `{ dog { doesKnowCommand(dogCommand: SIT) } human { pets { ... on Dog { doesKnowCommand(dogCommand: SIT) } } } }`],
    ['directive args are known', `{ dog @skip(if: true) }`],
    ['field args are invalid', `{ dog @skip(unless: true) }`],
    ['directive without args is valid', `{ dog @onField }`],
    ['arg passed to directive without arg is reported', `{ dog @onField(if: true) }`],
    ['misspelled directive args are reported', `{ dog @skip(iff: true) }`],
    ['invalid arg name', `fragment invalidArgName on Dog { doesKnowCommand(unknown: true) }`],
    ['misspelled arg name is reported', `fragment invalidArgName on Dog { doesKnowCommand(DogCommand: true) }`],
    ['unknown args amongst known args', `fragment oneGoodArgOneInvalidArg on Dog { doesKnowCommand(whoKnows: 1, dogCommand: SIT, unknown: true) }`],
    ['unknown args deeply', `{ dog { doesKnowCommand(unknown: true) } human { pets { ... on Dog { doesKnowCommand(unknown: true) } } } }`],
    ['meta field args', `{ __type(nam: "Dog") { name } }`],
    ['directive args in SDL', `directive @test(arg: String) on FIELD_DEFINITION | OBJECT
type Query @test(arg: "x", unknown: 1) { foo: String @test(arh: "") @deprecated(reason: "x", reasn: "y") }`],
  ],
  UniqueArgumentNamesRule: [
    ['no arguments on field', `{ field }`],
    ['argument on field', `{ field(arg: "value") }`],
    ['same argument on two fields', `{ one: field(arg: "value") two: field(arg: "value") }`],
    ['same argument on field and directive', `{ field(arg: "value") @directive(arg: "value") }`],
    ['multiple field arguments', `{ field(arg1: "value", arg2: "value", arg3: "value") }`],
    ['duplicate field arguments', `{ field(arg1: "value", arg1: "value") }`],
    ['many duplicate field arguments', `{ field(arg1: "value", arg1: "value", arg1: "value") }`],
    ['duplicate directive arguments', `{ field @directive(arg1: "value", arg1: "value") }`],
    ['many duplicate directive arguments', `{ field @directive(arg1: "value", arg2: "x", arg1: "value", arg2: "y", arg1: "z") }`],
  ],
  ValuesOfCorrectTypeRule: [
    ['good int value', `{ complicatedArgs { intArgField(intArg: 2) } }`],
    ['good negative int value', `{ complicatedArgs { intArgField(intArg: -2) } }`],
    ['good boolean value', `{ complicatedArgs { booleanArgField(booleanArg: true) } }`],
    ['good string value', `{ complicatedArgs { stringArgField(stringArg: "foo") } }`],
    ['good float values', `{ complicatedArgs { a: floatArgField(floatArg: 1.1) b: floatArgField(floatArg: -1.1) c: floatArgField(floatArg: 1) } }`],
    ['good id values', `{ complicatedArgs { a: idArgField(idArg: "someIdString") b: idArgField(idArg: 1) } }`],
    ['good enum value', `{ dog { doesKnowCommand(dogCommand: SIT) } }`],
    ['null into nullable', `{ complicatedArgs { intArgField(intArg: null) } dog(a: null) { isHouseTrained(atOtherHomes: null) } }`],
    ['int into string', `{ complicatedArgs { stringArgField(stringArg: 1) } }`],
    ['float into string', `{ complicatedArgs { stringArgField(stringArg: 1.0) } }`],
    ['boolean into string', `{ complicatedArgs { stringArgField(stringArg: true) } }`],
    ['unquoted string into string', `{ complicatedArgs { stringArgField(stringArg: BAR) } }`],
    ['string into int', `{ complicatedArgs { intArgField(intArg: "3") } }`],
    ['big int into int', `{ complicatedArgs { a: intArgField(intArg: 829384293849283498239482938) b: intArgField(intArg: 2147483648) c: intArgField(intArg: -2147483649) d: intArgField(intArg: -2147483648) } }`],
    ['unquoted string into int', `{ complicatedArgs { intArgField(intArg: FOO) } }`],
    ['simple float into int', `{ complicatedArgs { intArgField(intArg: 3.0) } }`],
    ['string into float', `{ complicatedArgs { floatArgField(floatArg: "3.333") } }`],
    ['boolean into float', `{ complicatedArgs { floatArgField(floatArg: true) } }`],
    ['int into boolean', `{ complicatedArgs { booleanArgField(booleanArg: 2) } }`],
    ['string into boolean', `{ complicatedArgs { booleanArgField(booleanArg: "true") } }`],
    ['float into id', `{ complicatedArgs { idArgField(idArg: 1.0) } }`],
    ['boolean into id', `{ complicatedArgs { idArgField(idArg: true) } }`],
    ['int into enum', `{ dog { doesKnowCommand(dogCommand: 2) } }`],
    ['string into enum', `{ dog { doesKnowCommand(dogCommand: "SIT") } }`],
    ['unknown enum value', `{ dog { doesKnowCommand(dogCommand: JUGGLE) } }`],
    ['different case enum value', `{ dog { doesKnowCommand(dogCommand: sit) } }`],
    ['good list values', `{ complicatedArgs { a: stringListArgField(stringListArg: ["one", null, "two"]) b: stringListArgField(stringListArg: []) c: stringListArgField(stringListArg: null) d: stringListArgField(stringListArg: "one") } }`],
    ['incorrect item type', `{ complicatedArgs { stringListArgField(stringListArg: ["one", 2]) } }`],
    ['single value of incorrect type', `{ complicatedArgs { stringListArgField(stringListArg: 1) } }`],
    ['null in non null list', `{ complicatedArgs { stringListNonNullArgField(stringListNonNullArg: ["a", null]) } }`],
    ['required args', `{ complicatedArgs { a: multipleReqs(req1: 1, req2: 2) b: multipleReqs(req1: "one", req2: null) c: nonNullIntArgField(nonNullIntArg: null) } }`],
    ['complex input objects', `{ complicatedArgs {
  a: complexArgField(complexArg: { requiredField: true })
  b: complexArgField(complexArg: { intField: 4 })
  c: complexArgField(complexArg: { requiredField: true, stringListField: ["one", 2], intField: "x" })
  d: complexArgField(complexArg: { requiredField: true, invalidField: "value" })
  e: complexArgField(complexArg: { requiredField: true, strngField: "value" })
  f: complexArgField(complexArg: { requiredField: true, nonNullField: null })
  g: complexArgField(complexArg: "not an object")
} }`],
    ['oneOf input objects', `query ($v: String) { complicatedArgs {
  a: oneOfArgField(oneOfArg: { stringField: "abc" })
  b: oneOfArgField(oneOfArg: { stringField: "abc", intField: 123 })
  c: oneOfArgField(oneOfArg: { stringField: null })
  d: oneOfArgField(oneOfArg: {})
  e: oneOfArgField(oneOfArg: { stringField: $v })
  f: oneOfArgField(oneOfArg: { unknown: 1 })
} }`],
    ['directive arguments', `{ dog @include(if: "yes") { name @skip(if: ENUM) } }`],
    ['variable default values', `query WithDefaultValues(
  $a: Int = 1,
  $b: String = "ok",
  $c: ComplexInput = { requiredField: true, intField: 3 }
  $d: Int! = 123
  $e: Int = "one"
  $f: String = 4
  $g: ComplexInput = "NotVeryComplex"
  $h: [String] = ["one", 2]
  $i: ComplexInput = { requiredField: null, intField: null }
  $j: Int! = null
) { dog { name } }`],
    ['custom scalars accept any literal', `{ a: anyArg(arg: { deep: [1, "two", $var] }) b: anyArg(arg: ENUM) c: invalidArg(arg: 123) }`],
    ['variables are not checked', `query ($a: Int, $b: String) { complicatedArgs { intArgField(intArg: $b) stringListArgField(stringListArg: [$a, "x"]) } }`],
    ['long values are printed wrapped', `{ complicatedArgs { complexArgField(complexArg: { requiredField: true, stringListField: ["aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccc"], unknownFieldName: 1 }) } }`],
  ],
  ProvidedRequiredArgumentsRule: [
    ['ignores unknown arguments', `{ dog { isHouseTrained(unknownArgument: true) } }`],
    ['arg on optional arg', `{ dog { isHouseTrained(atOtherHomes: true) } }`],
    ['no arg on optional arg', `{ dog { isHouseTrained } }`],
    ['no arg on non null field with default', `{ complicatedArgs { nonNullFieldWithDefault } }`],
    ['multiple args', `{ complicatedArgs { multipleReqs(req1: 1, req2: 2) } }`],
    ['all reqs and opts on mixed list', `{ complicatedArgs { multipleOptAndReq(req1: 3, req2: 4, opt1: 5, opt2: 6) } }`],
    ['missing one non nullable argument', `{ complicatedArgs { multipleReqs(req2: 2) } }`],
    ['missing multiple non nullable arguments', `{ complicatedArgs { multipleReqs } }`],
    ['incorrect value and missing argument', `{ complicatedArgs { multipleReqs(req1: "one") } }`],
    ['ignores unknown directives', `{ dog @unknown }`],
    ['with directives of valid types', `{ dog @include(if: true) { name } human @skip(if: false) { name } }`],
    ['with directive with missing types', `{ dog @include { name @skip } }`],
    ['meta field argument', `{ __type { name } }`],
    ['missing directive argument of document directive', `directive @d(req: [Int!]!, opt: Int!= 1) on FIELD
{ dog @d @withArgs }`],
    ['missing directive argument in SDL', `type Query { f: String @withArgs }`],
  ],
  VariablesInAllowedPositionRule: [
    ['boolean to boolean', `query Query($booleanArg: Boolean) { complicatedArgs { booleanArgField(booleanArg: $booleanArg) } }`],
    ['boolean to boolean within fragment', `fragment booleanArgFrag on ComplicatedArgs { booleanArgField(booleanArg: $booleanArg) }
query Query($booleanArg: Boolean) { complicatedArgs { ...booleanArgFrag } }`],
    ['non null boolean to boolean', `query Query($nonNullBooleanArg: Boolean!) { complicatedArgs { booleanArgField(booleanArg: $nonNullBooleanArg) } }`],
    ['string list to string list', `query Query($stringListVar: [String]) { complicatedArgs { stringListArgField(stringListArg: $stringListVar) } }`],
    ['string to string list', `query Query($stringVar: String) { complicatedArgs { stringListArgField(stringListArg: [$stringVar]) } }`],
    ['complex input to complex input', `query Query($complexVar: ComplexInput) { complicatedArgs { complexArgField(complexArg: $complexVar) } }`],
    ['boolean to non null boolean in directive with default', `query Query($boolVar: Boolean = false) { dog @include(if: $boolVar) }`],
    ['int to non null int', `query Query($intArg: Int) { complicatedArgs { nonNullIntArgField(nonNullIntArg: $intArg) } }`],
    ['int to non null int within fragment', `fragment nonNullIntArgFieldFrag on ComplicatedArgs { nonNullIntArgField(nonNullIntArg: $intArg) }
query Query($intArg: Int) { complicatedArgs { ...nonNullIntArgFieldFrag } }`],
    ['string over boolean', `query Query($stringVar: String) { complicatedArgs { booleanArgField(booleanArg: $stringVar) } }`],
    ['string to string list direct', `query Query($stringVar: String) { complicatedArgs { stringListArgField(stringListArg: $stringVar) } }`],
    ['boolean to non null boolean in directive', `query Query($boolVar: Boolean) { dog @include(if: $boolVar) }`],
    ['string to non null boolean in directive', `query Query($stringVar: String) { dog @include(if: $stringVar) }`],
    ['string list to string non null list', `query Query($stringListVar: [String]) { complicatedArgs { stringListNonNullArgField(stringListNonNullArg: $stringListVar) } }`],
    ['nullable with null default into non null', `query Query($intVar: Int = null) { complicatedArgs { nonNullIntArgField(nonNullIntArg: $intVar) } }`],
    ['nullable with default into non null', `query Query($intVar: Int = 1) { complicatedArgs { nonNullIntArgField(nonNullIntArg: $intVar) } }`],
    ['nullable into non null field with default', `query Query($intVar: Int) { complicatedArgs { nonNullFieldWithDefault(arg: $intVar) } }`],
    ['nullable into non null input field with default', `query Query($boolVar: Boolean) { complicatedArgs { complexArgField(complexArg: { requiredField: true, nonNullField: $boolVar }) } }`],
    ['oneOf nullable variable', `query Query($s: String, $i: Int!) { complicatedArgs { a: oneOfArgField(oneOfArg: { stringField: $s }) b: oneOfArgField(oneOfArg: { intField: $i }) } }`],
    ['undefined variable is ignored', `query Query { complicatedArgs { intArgField(intArg: $x) } }`],
  ],
  OverlappingFieldsCanBeMergedRule: [
    ['unique fields', `fragment uniqueFields on Dog { name nickname }`],
    ['identical fields', `fragment mergeIdenticalFields on Dog { name name }`],
    ['identical fields with identical args', `fragment mergeIdenticalFieldsWithIdenticalArgs on Dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand(dogCommand: SIT) }`],
    ['identical fields with identical directives', `fragment mergeSameFieldsWithSameDirectives on Dog { name @include(if: true) name @include(if: true) }`],
    ['different args with different aliases', `fragment differentArgsWithDifferentAliases on Dog { knowsSit: doesKnowCommand(dogCommand: SIT) knowsDown: doesKnowCommand(dogCommand: DOWN) }`],
    ['different directives with different aliases', `fragment differentDirectivesWithDifferentAliases on Dog { nameIfTrue: name @include(if: true) nameIfFalse: name @include(if: false) }`],
    ['different skip include directives accepted', `fragment differentDirectivesWithDifferentAliases on Dog { name @include(if: true) name @include(if: false) }`],
    ['same aliases with different field targets', `fragment sameAliasesWithDifferentFieldTargets on Dog { fido: name fido: nickname }`],
    ['same aliases allowed on non overlapping fields', `fragment sameAliasesWithDifferentFieldTargets on Pet { ... on Dog { name } ... on Cat { name: nickname } }`],
    ['alias masking direct field access', `fragment aliasMaskingDirectFieldAccess on Dog { name: nickname name }`],
    ['different args second adds an argument', `fragment conflictingArgs on Dog { doesKnowCommand doesKnowCommand(dogCommand: HEEL) }`],
    ['different args second missing an argument', `fragment conflictingArgs on Dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand }`],
    ['conflicting arg values', `fragment conflictingArgs on Dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand(dogCommand: HEEL) }`],
    ['conflicting arg names', `fragment conflictingArgs on Dog { isAtLocation(x: 0) isAtLocation(y: 0) }`],
    ['same object values in different order', `{ complicatedArgs { complexArgField(complexArg: { requiredField: true, intField: 1 }) complexArgField(complexArg: { intField: 1, requiredField: true }) } }`],
    ['different list values', `{ complicatedArgs { stringListArgField(stringListArg: ["a"]) stringListArgField(stringListArg: ["a", "b"]) } }`],
    ['allows different args where no conflict is possible', `fragment conflictingArgs on Pet { ... on Dog { name(surname: true) } ... on Cat { name } }`],
    ['encounters conflict in fragments', `{ ...A ...B } fragment A on Type { x: a } fragment B on Type { x: b }`],
    ['reports each conflict once', `{
  f1 { ...A ...B }
  f2 { ...B ...A }
  f3 { ...A ...B x: c }
}
fragment A on Type { x: a }
fragment B on Type { x: b }`],
    ['deep conflict', `{ field { x: a } field { x: b } }`],
    ['deep conflict with multiple issues', `{ field { x: a y: c } field { x: b y: d } }`],
    ['very deep conflict', `{ field { deepField { x: a } } field { deepField { x: b } } }`],
    ['reports deep conflict to nearest common ancestor', `{ field { deepField { x: a } deepField { x: b } } field { deepField { y } } }`],
    ['reports deep conflict to nearest common ancestor in fragments', `{ field { ...F } field { ...F } }
fragment F on T { deepField { deeperField { x: a } deeperField { x: b } } deepField { deeperField { y } } }`],
    ['reports deep conflict in nested fragments', `{ field { ...F } field { ...I } }
fragment F on T { x: a ...G }
fragment G on T { y: c }
fragment I on T { y: d ...J }
fragment J on T { x: b }`],
    ['ignores unknown fragments', `{ field ...Unknown ...Known } fragment Known on T { field ...OtherUnknown }`],
    ['conflicting return types which potentially overlap', `{ dogOrHuman { ... on Dog { name: barkVolume } ... on Human { name } } catOrDog { ... on Pet { name } ... on Dog { name: barkVolume } } }`],
    ['disallows differing return type nullability or list', `{ human { relatives { name } ... on Human { relatives: pets { name } } } dog { x: name ... on Dog { x: barks } } }`],
    ['compatible return shapes on different return types', `{ catOrDog { ... on Dog { mother { name } } ... on Cat { mother: nickname } } }`],
    ['same wrapped scalar return types', `{ humanOrAlien { ...on Human { name } ...on Alien { name } } }`],
    ['allows inline fragments without type condition', `{ dog { ... { name } ... { name } } }`],
    ['errors when selection sets differ via inline fragment', `{ dog { ... { x: name } ... { x: nickname } } }`],
    ['reports correctly when a non exclusive follows an exclusive', `{
  catOrDog {
    ... on Dog { mother { ...X } }
    ... on Cat { mother { ...X } }
  }
  catOrDog2: catOrDog { ... on Dog { mother { ...X } } mother2: father { ...Y } }
}
fragment X on Mammal { name: __typename }
fragment Y on Mammal { name: father { __typename } }`],
    ['does not infinite loop on recursive fragment', `{ ...fragA } fragment fragA on Human { name, relatives { name, ...fragA } }`],
    ['does not infinite loop on immediately recursive fragment', `{ ...fragA } fragment fragA on Human { name, ...fragA }`],
    ['finds invalid case even with immediately recursive fragment', `fragment sameAliasesWithDifferentFieldTargets on Dog { ...sameAliasesWithDifferentFieldTargets fido: name fido: nickname }`],
    ['does not infinite loop on transitively recursive fragment', `{ ...fragA fragB: human { ...fragB } }
fragment fragA on QueryRoot { human { name ...fragB } }
fragment fragB on Human { name relatives { ...fragC } }
fragment fragC on Human { name relatives { ...fragA } }`],
    ['stream directives overlap', `{ dog { a: name @stream(initialCount: 1) a: name @stream(initialCount: 1) b: nickname @stream b: nickname } }`],
    ['variables as arguments', `query ($a: Boolean, $b: Boolean) { dog { name(surname: $a) name(surname: $b) x: name(surname: $a) x: name(surname: $a) } }`],
  ],
  UniqueInputFieldNamesRule: [
    ['input object with fields', `{ field(arg: { f: true }) }`],
    ['same input object within two args', `{ field(arg1: { f: true }, arg2: { f: true }) }`],
    ['multiple input object fields', `{ field(arg: { f1: "value", f2: "value", f3: "value" }) }`],
    ['allows for nested input objects with similar fields', `{ field(arg: { deep: { deep: { id: 1 } id: 1 } id: 1 }) }`],
    ['duplicate input object fields', `{ field(arg: { f1: "value", f1: "value" }) }`],
    ['many duplicate input object fields', `{ field(arg: { f1: "value", f1: "value", f1: "value" }) }`],
    ['nested duplicate input object fields', `{ field(arg: { f1: {f2: "value", f2: "value" }}) }`],
    ['nested and outer duplicates in walk order', `{ field(arg: { a: { b: 1, b: 2 }, a: 3 }) }`],
    ['duplicates in list and default values', `query ($v: ComplexInput = { intField: 1, intField: 2 }) { field(arg: [{ x: 1 }, { x: 1, x: 2 }]) }`],
  ],
  MaxIntrospectionDepthRule: [
    ['default introspection query shape', `{ __schema { types { fields { type { name } } interfaces { name } } } }`],
    ['too many fields', `{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`],
    ['too many fields via fragments', `{ __schema { types { ...F } } }
fragment F on __Type { fields { type { ...F } } }`],
    ['too many interfaces', `{ __type(name: "Dog") { interfaces { interfaces { interfaces { name } } } } }`],
    ['too many possible types and input fields', `{ __type(name: "Pet") { possibleTypes { inputFields { type { inputFields { name } } } } } }`],
    ['fragments spread several times', `{ __schema { types { ...A ...A } } }
fragment A on __Type { fields { type { name } } }`],
    ['non introspection fields are not checked', `{ dog { fields { fields { fields { name } } } } }`],
    ['nested __type inside a reported one is not reported again', `{ a: __type(name: "A") { fields { type { fields { type { fields { name } } } } } } b: __type(name: "B") { name } }`],
  ],
};
