# Objects bind by property name: Prompt, WorkingDirectory (FullName, PSPath), Model and Name.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $state = Import-TestModule -WithStore
    $work = New-TestFolder 'work'
    Push-Location $work
}

AfterAll {
    Pop-Location
    Remove-TestModule
}

Describe 'Start-ClaudeTask from the pipeline' {
    It 'starts a task per row of Import-Csv, blank cells meaning the default' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $work 'csv-folder')
        @"
Prompt,Name,Model,WorkingDirectory
Explain the build,build,haiku,$($folder.FullName)
List the TODOs,todos,,
"@ | Set-Content jobs.csv

        $tasks = Import-Csv jobs.csv | Start-ClaudeTask | Wait-ClaudeTask
        $results = $tasks | Receive-ClaudeTask

        ($tasks | Sort-Object Name).Name | Should -Be 'build', 'todos'
        ($results | Sort-Object Name).Result | Should -Be 'Explain the build', 'List the TODOs'
        ($tasks | Where-Object Name -eq 'build').WorkingDirectory | Should -Be $folder.FullName
        ($tasks | Where-Object Name -eq 'todos').WorkingDirectory | Should -Be $work
        (Get-ClaudeTask -Name build).Model | Should -BeLike '*haiku*'
    }

    It 'starts a task in each folder of Get-ChildItem -Directory, named after it' {
        $root = New-Item -ItemType Directory -Path (Join-Path $work 'projects')
        $a = New-Item -ItemType Directory -Path (Join-Path $root 'alpha')
        $b = New-Item -ItemType Directory -Path (Join-Path $root 'beta')

        $results = Get-ChildItem -Directory $root | Start-ClaudeTask 'Summarise this folder' | Wait-ClaudeTask | Receive-ClaudeTask

        ($results | Sort-Object Name).Name | Should -Be 'alpha', 'beta'
        ($results | Sort-Object Name).WorkingDirectory | Should -Be $a.FullName, $b.FullName
        $results.Result | Should -Be 'Summarise this folder', 'Summarise this folder'
    }

    It 'binds a folder by its PSPath' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $work 'by-pspath')
        $byPath = [pscustomobject]@{ PSPath = $folder.PSPath; Prompt = 'where am I' }

        ($byPath | Start-ClaudeTask | Wait-ClaudeTask).WorkingDirectory | Should -Be $folder.FullName
    }

    It 'continues a piped task''s session under its name, and an unnamed one stays unnamed' {
        $named = Start-ClaudeTask 'first' -Name 'story' | Wait-ClaudeTask
        $unnamed = Start-ClaudeTask 'first, unnamed' | Wait-ClaudeTask

        $next = $named | Start-ClaudeTask 'second' | Wait-ClaudeTask
        $nextUnnamed = $unnamed | Start-ClaudeTask 'second, unnamed' | Wait-ClaudeTask

        $next.Name | Should -Be 'story'
        ($next | Receive-ClaudeTask).SessionId | Should -Be ($named | Receive-ClaudeTask).SessionId
        (Receive-ClaudeTask -TaskId $nextUnnamed.TaskId).Name | Should -BeNullOrEmpty
        $nextUnnamed.Name | Should -BeNullOrEmpty
    }

    It 'refuses an object that has no prompt, saying what binds' {
        { [pscustomobject]@{ Title = 'no prompt here' } | Start-ClaudeTask -ErrorAction Stop } |
            Should -Throw '*not a prompt*only text binds to -Prompt*'
        Get-ClaudeTask | Where-Object PromptPreview -like '*no prompt here*' | Should -BeNullOrEmpty
    }
}
